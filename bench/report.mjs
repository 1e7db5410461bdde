// Turns the benchmark's hyperfine and GNU time records (bench/data/runs) into
// the Markdown table of bench/results.md: medians of the repeated runs.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const [runs, data, seconds] = process.argv.slice(2);
const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const bams = Object.fromEntries(
  readFileSync(join(runs, 'bams.tsv'), 'utf8').trim().split('\n').map(l => l.split('\t')).map(([f, size, records]) => [f, { size: Number(size), records: Number(records) }]),
);
function run(id) {
  const h = JSON.parse(readFileSync(join(runs, `${id}.json`), 'utf8')).results[0];
  const mem = readFileSync(join(runs, `${id}.mem`), 'utf8').trim().split('\n').map(Number).filter(Number.isFinite);
  return { wall: median(h.times), cpu: h.user + h.system, runs: h.times.length, peak: median(mem) / 1024 };
}
const f = (x, d = 2) => x.toFixed(d);
const version = cmd => {
  try {
    return execFileSync('sh', ['-c', cmd], { encoding: 'utf8' }).trim().split('\n')[0];
  } catch {
    return 'unknown';
  }
};

const out = [];
const row = (cells) => out.push(`| ${cells.join(' | ')} |`);
const mb = bytes => bytes / 1e6;
const tumour = bams['TUMOUR.bam'];
const deep = bams['DEEP.bam'];
const probes = file => readFileSync(join(data, file), 'utf8').split('\n').filter(l => l && !l.startsWith('#')).length;

out.push('# her2cn benchmark results', '');
out.push(`Made by \`npm run bench\` (bench/run.sh) in ${seconds} s, inputs included. Each command ran ${run('her2cn_t1').runs} times under hyperfine; the table gives the median wall time, the mean CPU time (user + system) and the median peak resident memory (GNU time).`, '');
out.push(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM; Node ${process.version}; ${version('mosdepth --version')}; ${version('samtools --version')}; CNVkit ${version('cnvkit version')}; ${version('hyperfine --version')}.`, '');

const sample = (title, bam, panelFile, ids) => {
  out.push(`## ${title}`, '');
  out.push(`${bam.name}: ${f(mb(bam.size), 0)} MB, ${(bam.records / 1e6).toFixed(2)} M records; panel ${panelFile} (${probes(panelFile)} probes).`, '');
  row(['command', 'threads', 'wall (s)', 'CPU (s)', 'peak memory (MB)', 'her2cn coverage at the same threads is']);
  row(['---', '---', '---', '---', '---', '---']);
  for (const [label, id, threads, her2cnId] of ids) {
    if (!existsSync(join(runs, `${id}.json`))) continue;
    const r = run(id);
    const ratio = her2cnId ? `${f(r.wall / run(her2cnId).wall, 1)}x faster` : '';
    row([label, threads, f(r.wall), f(r.cpu), f(r.peak, 0), ratio]);
  }
  out.push('');
};

sample('A clinical-size sample', { name: 'TUMOUR.bam', ...tumour }, 'panel.bed', [
  ['her2cn coverage', 'her2cn_t1', 1],
  ['her2cn coverage', 'her2cn_t2', 2],
  ['mosdepth -n -Q 20 -F 3844 --by', 'mosdepth_t1', 1, 'her2cn_t1'],
  ['mosdepth -t 1 (one decompression thread more)', 'mosdepth_t2', 2, 'her2cn_t2'],
  ['samtools bedcov -Q 20 -G 3844 -j', 'bedcov_t1', 1, 'her2cn_t1'],
  ['her2cn call (coverage, call, JSON, VCF, plot, report)', 'call_t2', 2],
  ['CNVkit coverage + fix + call', 'cnvkit_t1', 1],
]);

const steps = {};
for (const line of readFileSync(join(runs, 'cnvkit.steps'), 'utf8').trim().split('\n')) {
  const [step, wall, kb] = line.split(' ');
  (steps[step] ??= []).push({ wall: Number(wall), peak: Number(kb) / 1024 });
}
const call = run('call_t2');
const cnvkit = run('cnvkit_t1');
const t1 = run('her2cn_t1');
const t2 = run('her2cn_t2');
out.push(`CNVkit steps (median of the runs): ${Object.entries(steps).map(([s, v]) => `${s} ${f(median(v.map(x => x.wall)))} s (${f(median(v.map(x => x.peak)), 0)} MB)`).join(', ')}. CNVkit reads the probes only, as her2cn does (an empty off-target file and a flat reference), so the comparison is of the same work.`, '');
out.push(`- her2cn coverage throughput: ${f(mb(tumour.size) / t1.wall, 0)} MB of BAM/s and ${f(tumour.records / t1.wall / 1e6)} M records/s on one thread; ${f(mb(tumour.size) / t2.wall, 0)} MB/s and ${f(tumour.records / t2.wall / 1e6)} M records/s on two.`);
out.push(`- her2cn call against CNVkit coverage + fix + call: ${f(cnvkit.wall / call.wall, 1)}x faster (target: 20x); against CNVkit's coverage step alone: ${f(median(steps.coverage.map(x => x.wall)) / call.wall, 1)}x.`);
out.push(`- her2cn coverage against mosdepth at the same threads: ${f(run('mosdepth_t1').wall / t1.wall, 1)}x (one thread), ${f(run('mosdepth_t2').wall / t2.wall, 1)}x (two) (target: at least 2.5x on two threads).`, '');

sample('An ERBB2 amplicon about 20,000x deep', { name: 'DEEP.bam', ...deep }, '../../panels/her2cn-demo-grch38.bed', [
  ['her2cn coverage', 'deep_her2cn_t1', 1],
  ['her2cn coverage', 'deep_her2cn_t2', 2],
  ['mosdepth -n -Q 20 -F 3844 --by', 'deep_mosdepth_t1', 1, 'deep_her2cn_t1'],
  ['her2cn call', 'deep_call_t2', 2],
]);

// The typical clinical tumour, alternated rounds (bench/alternate.mjs).
const alt = id => {
  const a = JSON.parse(readFileSync(join(runs, `${id}.alt.json`), 'utf8'));
  return { wall: median(a.wall), cpu: median(a.cpu), peak: Math.max(...a.peak), runs: a.wall.length, load: a.load };
};
if (existsSync(join(runs, 'clin_call.alt.json'))) {
  const clinical = bams['CLINICAL.bam'];
  const call = alt('clin_call');
  const cov = alt('clin_cnvkit_coverage');
  const batch = alt('clin_cnvkit_batch');
  out.push('## A typical clinical tumour, alternated', '');
  out.push(`CLINICAL.bam: ${f(mb(clinical.size), 0)} MB, ${(clinical.records / 1e6).toFixed(2)} M records; panel panel_clinical.bed (${probes('panel_clinical.bed')} probes). The three commands ran one after the other in each of ${call.runs} rounds; medians of the rounds (wall and CPU), largest peak memory. Load average (1 min) at the start and end: ${call.load.map(x => f(x, 1)).join(', ')}.`, '');
  row(['command', 'wall (s)', 'CPU (s)', 'peak memory (MB)', 'her2cn call takes']);
  row(['---', '---', '---', '---', '---']);
  row(['her2cn call --threads 2 (six files)', f(call.wall), f(call.cpu), f(call.peak, 0), '']);
  row(['cnvkit coverage -q 20 (probes)', f(cov.wall), f(cov.cpu), f(cov.peak, 0), `${f(call.wall / cov.wall)}x its time (target: at most 0.15x)`]);
  row(['cnvkit batch -n -p 2 (flat reference)', f(batch.wall), f(batch.cpu), f(batch.peak, 0), `${f(call.wall / batch.wall, 3)}x its time (target: at most 0.05x)`]);
  out.push('');
  const h = alt('cohort_her2cn');
  const c = alt('cohort_cnvkit');
  out.push(`A cohort of 24 (links to CLINICAL.bam), ${h.runs} alternated round(s): \`her2cn batch\` (jobs: the cores) ${f(h.wall, 1)} s, ${f(24 * 60 / h.wall, 0)} samples per minute, peak ${f(h.peak, 0)} MB per process; \`cnvkit batch -n -p 2\` ${f(c.wall, 1)} s, ${f(24 * 60 / c.wall, 1)} samples per minute (her2cn ${f(c.wall / h.wall, 1)}x faster).`, '');
  const node = alt('start_node');
  const version = alt('start_version');
  out.push(`Start-up, ${node.runs} alternated rounds: \`node -e 0\` ${f(node.wall * 1000, 0)} ms, \`her2cn --version\` ${f(version.wall * 1000, 0)} ms (${f((version.wall - node.wall) * 1000, 0)} ms more; target: at most 30 ms more).`, '');
}

out.push('## Scaling (her2cn coverage, two threads)', '');
row(['input', 'probes', 'BAM (MB)', 'records (M)', 'wall (s)', 'M records/s']);
row(['---', '---', '---', '---', '---', '---']);
for (const [label, id, bam, panelFile] of [
  ['tumour subsampled to ~30x', 'depth_30x', 'TUMOUR_30x.bam', 'panel.bed'],
  ['tumour subsampled to ~100x', 'depth_100x', 'TUMOUR_100x.bam', 'panel.bed'],
  ['tumour, ~300x', 'her2cn_t2', 'TUMOUR.bam', 'panel.bed'],
  ['tumour, a tenth of the genes', 'probes_1in10', 'TUMOUR.bam', 'panel_1in10.bed'],
  ['tumour, a third of the genes', 'probes_1in3', 'TUMOUR.bam', 'panel_1in3.bed'],
]) {
  const r = run(id);
  const b = bams[bam];
  row([label, probes(panelFile), f(mb(b.size), 0), f(b.records / 1e6), f(r.wall), f(b.records / r.wall / 1e6)]);
}
out.push('', 'Records per second count every record in the BAM, as the throughput of a whole-file reader would; her2cn reads only the BGZF blocks its probes need.');
console.log(out.join('\n'));
