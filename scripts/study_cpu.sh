#!/bin/sh
# Start or resume the cpu study (docs/inference.md, "Resuming the cpu study") in the background.
# It runs a snapshot of this checkout's code in $STUDY/code, so later edits cannot change a run in
# flight; stages are cached in $STUDY/cpu, so rerunning continues where it stopped.
#   scripts/study_cpu.sh            # snapshot the code if there is none yet, then start
#   scripts/study_cpu.sh --refresh  # replace the snapshot with this checkout's HEAD first
#   scripts/study_cpu.sh --save     # copy the study's small outputs into benchmarks/results/study_cpu_progress
# A machine may not outlive a session: --save keeps what is done (data, training records, samples, scores;
# not the models) in the repository to commit, and a start restores it first. An arm whose rows are not
# all sampled trains again from the same data and seed; its record says whether the weights came out the same.
# OMP_NUM_THREADS (default 1): on a shared 2-core machine two OpenMP threads sampled 5-10x
# slower than one (each parallel region waits for the descheduled thread); 2 only when idle.
set -eu
REPO=$(cd "$(dirname "$0")/.." && pwd)
STUDY="${STUDY:-$HOME/.cache/lintseq_hf/study}"
PY="${PY:-$REPO/.venv/bin/python}"
PROGRESS="$REPO/benchmarks/results/study_cpu_progress"
if [ "${1:-}" = "--save" ]; then
    mkdir -p "$PROGRESS"
    cd "$STUDY/cpu"
    find data train generate score -type f \( -path 'data/*' -o -name '*done.json' -o -name log_history.json \
        -o -name '*.jsonl' -o -name '*.weights' \) ! -name '*.lock' ! -path '*/checkpoint-*' ! -path 'score/*_results.jsonl' ! -name pool.jsonl \
        2>/dev/null | while read -r file; do
        mkdir -p "$PROGRESS/$(dirname "$file")" && cp -p "$file" "$PROGRESS/$file"
    done
    echo "saved $(find "$PROGRESS" -type f | wc -l) files ($(du -sh "$PROGRESS" | cut -f1)) to $PROGRESS; commit them"
    exit 0
fi
if [ -d "$PROGRESS" ]; then
    mkdir -p "$STUDY/cpu" && cp -rn "$PROGRESS/." "$STUDY/cpu/"
fi
mkdir -p "$STUDY/code"
if [ "${1:-}" = "--refresh" ] || [ ! -f "$STUDY/code/benchmarks/study.py" ]; then
    git -C "$REPO" archive HEAD | tar -x -C "$STUDY/code"
fi
cd "$STUDY/code"
# setsid gives it a scheduler autogroup of its own, where nice -n 19 alone weighs nothing against
# other sessions (measured: the study took 69% of each core beside a test suite at nice 0): the
# new session's group is niced too, from inside it
PYTHONPATH="$STUDY/code" OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" setsid sh -c \
    'echo 19 > /proc/self/autogroup 2>/dev/null; exec nohup nice -n 19 "$@"' sh \
    "$PY" -m benchmarks.study --scale cpu --work-dir "$STUDY/cpu" --results-dir "$STUDY/results" \
    >> "$STUDY/log" 2>&1 < /dev/null &
echo "study running (pid $!); progress: grep -a '^\[' $STUDY/log | tail"
