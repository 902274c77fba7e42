#!/bin/sh
# Start or resume the cpu study (docs/inference.md, "Resuming the cpu study") in the background.
# It runs a snapshot of this checkout's code in $STUDY/code, so later edits cannot change a run in
# flight; stages are cached in $STUDY/cpu, so rerunning continues where it stopped.
#   scripts/study_cpu.sh            # snapshot the code if there is none yet, then start
#   scripts/study_cpu.sh --refresh  # replace the snapshot with this checkout's HEAD first
# OMP_NUM_THREADS (default 1): on a shared 2-core machine two OpenMP threads sampled 5-10x
# slower than one (each parallel region waits for the descheduled thread); 2 only when idle.
set -eu
REPO=$(cd "$(dirname "$0")/.." && pwd)
STUDY="${STUDY:-$HOME/.cache/lintseq_hf/study}"
PY="${PY:-$REPO/.venv/bin/python}"
mkdir -p "$STUDY/code"
if [ "${1:-}" = "--refresh" ] || [ ! -f "$STUDY/code/benchmarks/study.py" ]; then
    git -C "$REPO" archive HEAD | tar -x -C "$STUDY/code"
fi
cd "$STUDY/code"
PYTHONPATH="$STUDY/code" OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" setsid nohup nice -n 19 \
    "$PY" -m benchmarks.study --scale cpu --work-dir "$STUDY/cpu" --results-dir "$STUDY/results" \
    >> "$STUDY/log" 2>&1 < /dev/null &
echo "study running (pid $!); progress: grep -a '^\[' $STUDY/log | tail"
