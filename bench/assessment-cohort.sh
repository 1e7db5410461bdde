#!/usr/bin/env bash
# The tumour-cell HER2 assessment benchmark: simulates a cohort of 87 tumours
# and 10 normals at clinical depth (150-500x) on the demo panel, builds a panel
# of normals from the normals, calls the tumours with `her2cn batch` four times
# (purity as truth, x 0.75, x 1.25 capped at 0.99, no purity) and scores each
# run against the simulated FISH truth (bench/score-assessment.mjs).
#
#   bash bench/assessment-cohort.sh <seed> <out-dir> [assessment|call]
#
# e.g. bash bench/assessment-cohort.sh her2cn-assessment-1 /tmp/assess-1 call
#
# The seed decides the cohort (another seed, another cohort; the same seed,
# the same BAMs). The third argument is what the scorer reads: assessment.status
# (default) or the bulk call. BAMs already in <out-dir>/bams are reused, batch
# results are made afresh. The score is printed and kept in
# <out-dir>/score.<on>.txt, step timings in <out-dir>/timings.txt.
# JOBS (default 2) sets the simulator processes and batch --jobs. PANEL (default:
# the demo panel) simulates on another panel BED and builds the PoN on it;
# PANEL=clinical writes the 1,674-probe clinical-size panel `npm run bench` uses
# (the demo panel plus 1,363 probes of gene-like clusters) to <out-dir>/panel.bed.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,20p' "$0" >&2; exit 2; }
SEED=$1
OUT=$2
ON=${3:-assessment}
JOBS=${JOBS:-2}
[ "${PANEL:-}" = clinical ] || PANEL=${PANEL:+$(cd "$(dirname "$PANEL")" && pwd)/$(basename "$PANEL")}
cd "$(dirname "$0")/.."
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
: > "$OUT/timings.txt"
step() { # name command...
  local name=$1; shift
  local t0; t0=$(date +%s.%N)
  "$@"
  local t1; t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" -v n="$name" 'BEGIN { printf "%-24s %7.1f s\n", n, b - a }' | tee -a "$OUT/timings.txt" >&2
}

simulate() {
  local pids=() i
  for i in $(seq 1 "$JOBS"); do
    node dist/simulate/main.js clinical --seed "$SEED" --out "$OUT" --part "$i/$JOBS" ${PANEL:+--panel "$PANEL"} 2> "$OUT/simulate.$i.log" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || { cat "$OUT"/simulate.*.log >&2; exit 1; }; done
}

pon() {
  node bin/her2cn pon ${PANEL:+--panel "$PANEL"} $(awk -F'\t' 'NR > 1 { print ENVIRON["OUT"] "/" $2 }' "$OUT/normals.tsv") -o "$OUT/pon.json" > "$OUT/pon.log" 2>&1 \
    || { cat "$OUT/pon.log" >&2; exit 1; }
}

batch() { # variant
  rm -rf "$OUT/calls/$1"
  node bin/her2cn batch "$OUT/samples.$1.tsv" --pon "$OUT/pon.json" --out "$OUT/calls/$1" --jobs "$JOBS" > "$OUT/batch.$1.log" 2>&1 \
    || { tail -20 "$OUT/batch.$1.log" >&2; exit 1; }
}

export OUT
started=$(date +%s)
step build npm run build --silent
if [ "${PANEL:-}" = clinical ]; then
  PANEL=$OUT/panel.bed
  node dist/simulate/main.js bench --out "$PANEL" --probes 1363 >&2
fi
step simulate simulate
step pon pon
for v in purity-truth purity-x0.75 purity-x1.25 no-purity; do step "batch $v" batch "$v"; done
step score node bench/score-assessment.mjs "$OUT" --on "$ON" > "$OUT/score.$ON.txt"
cat "$OUT/score.$ON.txt"
echo "total $(( $(date +%s) - started )) s (seed '$SEED', $(grep -c . "$OUT/samples.tsv" | awk '{print $1 - 1}') tumours; see $OUT/timings.txt)" | tee -a "$OUT/timings.txt" >&2
