#!/usr/bin/env bash
# The bigcode harness (nvidia-bigcode-eval) pins fsspec<2023.10: it gets its own venv, .venv-bigcode,
# with the same torch build as .venv (the harness's main imports torch and accelerate).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv-bigcode/bin/python ] || "$PYTHON" -m venv .venv-bigcode
TORCH=$(.venv/bin/python -c 'import torch; print(torch.__version__)' 2>/dev/null || echo 2.13.0)
PIP=(.venv-bigcode/bin/python -m pip install --disable-pip-version-check -q)
# the versions verified with the suite (Python 3.11), as scripts/setup.sh does for .venv
if [ "${LINTSEQ_UNPINNED:-0}" != 1 ] && .venv-bigcode/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  PIP+=(-c constraints-bigcode.txt)
fi
"${PIP[@]}" -e ".[bigcode]" "torch==${TORCH}"
echo "bigcode harness set up in .venv-bigcode"
