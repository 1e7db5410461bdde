#!/usr/bin/env bash
# The ERBB2 level against its sampling floor on more 20x cohorts of the
# committed design: for each seed her2cn-level-1 ... her2cn-level-<n>,
# simulates the 24 tumours and 10 normals, builds a PoN of the normals,
# calls every tumour with it and runs bench/level-noise.mjs, then pools the
# tumours' errors.
#
#   bash bench/level-cohorts.sh <n> <out-dir>
#
# About 90 s of CPU a seed (most of it the floor's Monte Carlo).
# Results: <out-dir>/<seed>/level-noise.txt and <out-dir>/pooled.txt.
# A relative <out-dir> is taken from where the command is run.
set -euo pipefail
[ $# -eq 2 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
N=$1
mkdir -p "$2"
OUT=$(cd "$2" && pwd)
cd "$(dirname "$0")/.."
npm run build --silent
for k in $(seq 1 "$N"); do
  seed=her2cn-level-$k
  dir=$OUT/$seed
  calls=$dir/calls
  [ -f "$dir/truth.tsv" ] || node dist/simulate/main.js cohort --seed "$seed" --out "$dir" 2> "$dir.simulate.log" \
    || { cat "$dir.simulate.log" >&2; exit 1; }
  rm -rf "$calls"
  mkdir -p "$calls"
  node bin/her2cn pon "$dir"/N*.bam -o "$calls/pon.json" > "$calls/pon.log" 2>&1 || { cat "$calls/pon.log" >&2; exit 1; }
  for t in $(awk -F'\t' 'NR > 1 && $1 ~ /^T/ { print $1 }' "$dir/truth.tsv"); do
    node bin/her2cn call "$dir/$t.bam" --pon "$calls/pon.json" --out "$calls/$t" > "$calls/$t.log" 2>&1 || { cat "$calls/$t.log" >&2; exit 1; }
    cp "$calls/$t/$t.her2cn.json" "$calls/"
  done
  node bench/level-noise.mjs "$calls" --cohort "$seed" "$dir" > "$dir/level-noise.txt"
  echo "$seed: $(grep -m1 '^RMS error' "$dir/level-noise.txt")" >&2
done
# Pooled: every seed's tumours together.
awk -F'\t' '
  FNR == 1 { next }
  NF >= 10 && $5 != "" { n++; e2 += $5 * $5; f2 += $4 * $4; g2 += $10 * $10; o2 += $11 * $11; r2 += $12 * $12; b2 += $13 * $13; if ($7 == "yes") held++ }
  END {
    printf "%d tumours: RMS error %.3f; sampling floor %.3f, ratio %.2f; floor with the GC fit %.3f, ratio %.2f; 95%% interval holds the truth %d/%d\n", n, sqrt(e2 / n), sqrt(f2 / n), sqrt(e2 / n) / sqrt(f2 / n), sqrt(g2 / n), sqrt(e2 / n) / sqrt(g2 / n), held, n
    printf "bounds for a caller that fits the GC trend, as times the sampling floor: oracle weights %.2f; ERBB2 in the fit %.2f; both %.2f\n", sqrt(o2 / n) / sqrt(f2 / n), sqrt(r2 / n) / sqrt(f2 / n), sqrt(b2 / n) / sqrt(f2 / n)
  }
' $(for k in $(seq 1 "$N"); do echo "$OUT/her2cn-level-$k/level-noise.txt"; done) | tee "$OUT/pooled.txt"
