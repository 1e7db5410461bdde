#!/usr/bin/env bash
# The speed benchmark (`npm run bench`, after `npm ci`): simulates a
# large sample, a typical clinical tumour (~60 MB on a ~1,700-probe panel) and
# an ERBB2 amplicon ~20,000x deep, times her2cn against mosdepth, samtools
# bedcov and CNVkit on the same files in the same run, and writes
# bench/results.md. Inputs are made once into bench/data/ (deterministic;
# delete the folder to make them again). BENCH_INPUTS_ONLY=1 stops after
# making them.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
RUNS=${BENCH_RUNS:-3}
bash bench/install-debian-tools.sh
npm run build --silent
D=bench/data
R=$D/runs
mkdir -p "$D" "$R"
sim() { node dist/simulate/main.js bench "$@"; }
her2cn() { node bin/her2cn "$@"; }

# --- Inputs -----------------------------------------------------------------
# Sample BAMs are written uncompressed and then compressed by samtools at its
# default level, so they are laid out as aligners' BAMs are.
make_bam() { # name kind depth panel [--bases]
  local name=$1; shift
  [ -f "$D/$name.bam.bai" ] && return
  sim --out "$D/$name.raw.bam" --name "$name" --level 0 --no-index --sample "$@" 2>&1
  samtools view -@ 2 -b -o "$D/$name.bam" "$D/$name.raw.bam"
  samtools index -@ 2 "$D/$name.bam"
  rm -f "$D/$name.raw.bam"
}
if [ ! -f "$D/done" ]; then
  [ -f "$D/panel.bed" ] || sim --out "$D/panel.bed" --probes 10000
  make_bam TUMOUR tumour --depth 300 --panel "$D/panel.bed" --bases &
  { make_bam DEEP deep --bases; for n in 1 2 3; do make_bam "NORMAL$n" "normal-$([ $((n % 2)) = 1 ] && echo female || echo male)" --depth 20 --panel "$D/panel.bed"; done; } &
  wait
  # Depth series: the tumour subsampled by read pair to a third and a tenth.
  samtools view -@ 2 -b -s 7.333 -o "$D/TUMOUR_100x.bam" "$D/TUMOUR.bam" && samtools index "$D/TUMOUR_100x.bam"
  samtools view -@ 2 -b -s 7.1 -o "$D/TUMOUR_30x.bam" "$D/TUMOUR.bam" && samtools index "$D/TUMOUR_30x.bam"
  # Probe series: the demo panel's probes plus every tenth / third / every benchmark gene.
  for k in 10 3; do
    awk -F'\t' -v k=$k '/^#/ || $4 !~ /^BG/ || substr($4, 3, 5) % k == 0' "$D/panel.bed" > "$D/panel_1in$k.bed"
  done
  # 4-column BEDs for samtools bedcov and CNVkit.
  grep -v '^#' "$D/panel.bed" | cut -f1-4 > "$D/panel4.bed"
  : > "$D/empty.bed"
  cnvkit reference -o "$D/cnvkit-flat.cnn" -t "$D/panel4.bed" -a "$D/empty.bed" >/dev/null 2>&1
  touch "$D/done"
fi
# The typical clinical tumour: 1,674 probes (the demo panel plus 1,363), ~120x
# with read bases (62 MB), five normals for its PoN (three give a fragment-length
# fit the PoN check refuses); CNVkit's targets; 24 copies of the tumour (links)
# as a cohort for `batch`.
if [ ! -f "$D/done-clinical" ]; then
  [ -f "$D/panel_clinical.bed" ] || sim --out "$D/panel_clinical.bed" --probes 1363
  make_bam CLINICAL tumour --depth 120 --panel "$D/panel_clinical.bed" --bases
  for n in 1 2 3 4 5; do make_bam "CNORMAL$n" "normal-$([ $((n % 2)) = 1 ] && echo female || echo male)" --depth 20 --panel "$D/panel_clinical.bed"; done
  grep -v '^#' "$D/panel_clinical.bed" | cut -f1-4 > "$D/panel_clinical4.bed"
  : > "$D/empty.bed"
  mkdir -p "$D/cohort24"
  printf 'sample\tbam\n' > "$D/cohort24/samples.tsv"
  for i in $(seq -w 1 24); do
    ln -sf ../CLINICAL.bam "$D/cohort24/S$i.bam" && ln -sf ../CLINICAL.bam.bai "$D/cohort24/S$i.bam.bai"
    printf 'S%s\tS%s.bam\n' "$i" "$i" >> "$D/cohort24/samples.tsv"
  done
  touch "$D/done-clinical"
fi
# The panels of normals are made by the her2cn under test, every run: one
# left by an earlier version may be of another format (refused with a
# rebuild message) or fitted by other rules.
rm -f "$D/pon.json.gz" "$D/pon_clinical.json.gz"
her2cn pon "$D"/NORMAL?.bam --panel "$D/panel.bed" -o "$D/pon.json.gz" >/dev/null
her2cn pon "$D"/CNORMAL?.bam --panel "$D/panel_clinical.bed" -o "$D/pon_clinical.json.gz" >/dev/null
echo "bench: inputs ready after $(( $(date +%s) - started )) s" >&2
[ "${BENCH_INPUTS_ONLY:-}" = 1 ] && exit 0

# --- Timed runs -------------------------------------------------------------
# Each command runs $RUNS times under hyperfine (medians reported) and under
# GNU time, which appends its peak resident memory to runs/<id>.mem.
rm -rf "$R"/*
bench() { # id command...
  local id=$1; shift
  hyperfine --runs "$RUNS" --style none --export-json "$R/$id.json" \
    "/usr/bin/time -a -o $R/$id.mem -f %M $*" >/dev/null 2>"$R/$id.err" || { cat "$R/$id.err" >&2; exit 1; }
  echo "bench: $id done" >&2
}
T=$D/TUMOUR.bam
PANEL=$D/panel.bed
bench her2cn_t1 node bin/her2cn coverage $T --panel $PANEL --threads 1 -o $R/her2cn.tsv
bench her2cn_t2 node bin/her2cn coverage $T --panel $PANEL --threads 2 -o $R/her2cn.tsv
bench mosdepth_t1 mosdepth -n -Q 20 -F 3844 -b $PANEL $R/md $T
bench mosdepth_t2 mosdepth -t 1 -n -Q 20 -F 3844 -b $PANEL $R/md $T
bench bedcov_t1 sh -c "'samtools bedcov -Q 20 -G 3844 -j $D/panel4.bed $T > $R/bedcov.tsv'"
bench call_t2 node bin/her2cn call $T --pon $D/pon.json.gz --threads 2 --out $R/call
# CNVkit on the probes only (as her2cn reads them): coverage, an empty off-target
# file, fix against a flat reference, call. Each step's time goes to cnvkit.steps.
cat > "$R/cnvkit.sh" <<CNV
set -e
step() { /usr/bin/time -a -o $R/cnvkit.steps -f "\$1 %e %M" "\${@:2}" >/dev/null 2>&1; }
step coverage cnvkit coverage -q 20 $T $D/panel4.bed -o $R/T.targetcoverage.cnn
step coverage_off cnvkit coverage -q 20 $T $D/empty.bed -o $R/T.antitargetcoverage.cnn
step fix cnvkit fix $R/T.targetcoverage.cnn $R/T.antitargetcoverage.cnn $D/cnvkit-flat.cnn -o $R/T.cnr
step call cnvkit call $R/T.cnr -o $R/T.call.cnr
CNV
bench cnvkit_t1 bash $R/cnvkit.sh
# The deep amplicon, on the demo panel.
bench deep_her2cn_t1 node bin/her2cn coverage $D/DEEP.bam --threads 1 -o $R/deep.tsv
bench deep_her2cn_t2 node bin/her2cn coverage $D/DEEP.bam --threads 2 -o $R/deep.tsv
bench deep_mosdepth_t1 mosdepth -n -Q 20 -F 3844 -b panels/her2cn-demo-grch38.bed $R/mdd $D/DEEP.bam
bench deep_call_t2 node bin/her2cn call $D/DEEP.bam --threads 2 --out $R/deep-call
# Scaling with depth and with probes.
for s in 30x 100x; do bench depth_$s node bin/her2cn coverage $D/TUMOUR_$s.bam --panel $PANEL --threads 2 -o $R/d.tsv; done
for k in 10 3; do bench probes_1in$k node bin/her2cn coverage $T --panel $D/panel_1in$k.bed --threads 2 -o $R/p.tsv; done

# --- The typical clinical tumour, alternated --------------------------------
# her2cn's whole call (six files) against CNVkit's coverage step and its whole
# batch on the same BAM and panel, one after the other in each round; then
# her2cn batch of the 24-sample cohort against CNVkit batch of the same 24;
# then start-up: a bare node against `her2cn --version`.
C=$D/CLINICAL.bam
node bench/alternate.mjs "$R" "${BENCH_CLINICAL_RUNS:-7}" \
  "clin_call=rm -rf $R/ccall && node bin/her2cn call $C --pon $D/pon_clinical.json.gz --threads 2 --out $R/ccall" \
  "clin_cnvkit_coverage=cnvkit coverage -q 20 $C $D/panel_clinical4.bed -o $R/C.targetcoverage.cnn" \
  "clin_cnvkit_batch=rm -rf $R/cbatch && cnvkit batch $C -n -t $D/panel_clinical4.bed -d $R/cbatch -p 2"
node bench/alternate.mjs "$R" "${BENCH_COHORT_RUNS:-1}" \
  "cohort_her2cn=rm -rf $R/cohort && node bin/her2cn batch $D/cohort24/samples.tsv --pon $D/pon_clinical.json.gz --out $R/cohort" \
  "cohort_cnvkit=rm -rf $R/cnvcohort && cnvkit batch $D/cohort24/S*.bam -n -t $D/panel_clinical4.bed -d $R/cnvcohort -p 2"
node bench/alternate.mjs "$R" 20 "start_node=node -e 0" "start_version=node bin/her2cn --version"

for b in "$D"/*.bam; do echo -e "$(basename "$b")\t$(stat -c %s "$b")\t$(samtools idxstats "$b" | awk '{n += $3 + $4} END {print n}')"; done > "$R/bams.tsv"
node bench/report.mjs "$R" "$D" "$(( $(date +%s) - started ))" > bench/results.md.tmp && mv bench/results.md.tmp bench/results.md
cat bench/results.md
