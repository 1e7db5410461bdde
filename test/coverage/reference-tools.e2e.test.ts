// her2cn's per-probe depth against independent tools on every test-data BAM:
// mosdepth (which corrects mate overlap as we do) and samtools bedcov (which
// counts overlapping mates twice: compared with our engine set the same way).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { openBam } from '../../src/coverage/bam.js';
import { computeCoverage, DEFAULT_FILTER, type ProbeCoverage } from '../../src/coverage/engine.js';
import { readBed } from '../../src/panel/bed.js';
import { COHORT_SAMPLES, DEMO_PANEL, execFileAsync, TEST_DATA, tempDir, toolAvailable } from '../helpers.js';

const panel = readBed(DEMO_PANEL);

async function ours(sample: string, countMateOverlapOnce = true): Promise<ProbeCoverage[]> {
  const bam = await openBam(join(TEST_DATA, `${sample}.bam`));
  try {
    return (await computeCoverage(bam, panel, { ...DEFAULT_FILTER, countMateOverlapOnce })).probes;
  } finally {
    bam.close();
  }
}

/** Runs tasks at most `width` at a time (mosdepth is single-threaded and memory-hungry). */
async function pool<T>(tasks: (() => Promise<T>)[], width = 2): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

/** mosdepth's regions.bed.gz as a map from "chrom:start-end" to mean depth. */
async function mosdepth(sample: string, chrom?: string): Promise<Map<string, number>> {
  const dir = tempDir('her2cn-mosdepth-');
  const args = ['-n', '-Q', '20', '-F', '3844', '-b', DEMO_PANEL];
  if (chrom) args.push('--chrom', chrom);
  await execFileAsync('mosdepth', [...args, join(dir, sample), join(TEST_DATA, `${sample}.bam`)]);
  const text = gunzipSync(readFileSync(join(dir, `${sample}.regions.bed.gz`))).toString('utf8');
  const out = new Map<string, number>();
  for (const line of text.trim().split('\n')) {
    const f = line.split('\t');
    out.set(`${f[0]}:${f[1]}-${f[2]}`, Number(f[f.length - 1]));
  }
  return out;
}

/** Agreement to 0.5%, allowing for mosdepth printing two decimals. */
function agrees(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(0.005 * Math.abs(b), 0.0051);
}

const haveMosdepth = toolAvailable('mosdepth');
const haveSamtools = toolAvailable('samtools');

describe.skipIf(!haveMosdepth)('coverage agrees with mosdepth -n -Q 20 -F 3844 per probe', () => {
  // mosdepth allocates a per-base array for each whole chromosome (about 20 s
  // for a whole-genome header), so every BAM is compared on chromosome 17,
  // where ERBB2 and its reference probes are, and two BAMs genome-wide: an
  // FFPE tumour whose short inserts make mates overlap, and an amplified one.
  let chr17: Map<string, number>[];
  let genomeWide: Map<string, number>[];
  const genomeWideSamples = ['T11', 'T02'];
  beforeAll(async () => {
    const runs = await pool([
      ...genomeWideSamples.map(s => () => mosdepth(s)),
      ...COHORT_SAMPLES.map(s => () => mosdepth(s, 'chr17')),
    ]);
    genomeWide = runs.slice(0, genomeWideSamples.length);
    chr17 = runs.slice(genomeWideSamples.length);
  }, 600_000);

  it.each(COHORT_SAMPLES.map((s, i) => [s, i] as const))('%s on chr17', async (sample, i) => {
    const probes = (await ours(sample)).filter(p => p.chrom === 'chr17');
    expect(probes.length).toBeGreaterThan(100);
    for (const p of probes) {
      const expected = chr17[i].get(`${p.chrom}:${p.start}-${p.end}`);
      expect(expected, `${p.name} missing from mosdepth output`).toBeDefined();
      if (!agrees(p.depth, expected!)) expect.fail(`${sample} ${p.name}: her2cn ${p.depth}, mosdepth ${expected}`);
    }
  });

  it.each(genomeWideSamples.map((s, i) => [s, i] as const))('%s on every probe', async (sample, i) => {
    const probes = await ours(sample);
    expect(probes.length).toBe(panel.probes.length);
    for (const p of probes) {
      const expected = genomeWide[i].get(`${p.chrom}:${p.start}-${p.end}`)!;
      if (!agrees(p.depth, expected)) expect.fail(`${sample} ${p.name}: her2cn ${p.depth}, mosdepth ${expected}`);
    }
  });
});

describe.skipIf(!haveSamtools)('coverage agrees with samtools bedcov -Q 20 -G 3844 -j -c on every probe', () => {
  it.each(COHORT_SAMPLES)('%s', async sample => {
    const { stdout } = await execFileAsync('samtools', ['bedcov', '-Q', '20', '-G', '3844', '-j', '-c', DEMO_PANEL, join(TEST_DATA, `${sample}.bam`)], {
      maxBuffer: 1 << 26,
    });
    const rows = stdout.trim().split('\n').map(l => l.split('\t'));
    const byKey = new Map(rows.map(f => [`${f[0]}:${f[1]}-${f[2]}`, f]));
    const probes = await ours(sample, false);
    for (const p of probes) {
      const f = byKey.get(`${p.chrom}:${p.start}-${p.end}`)!;
      const baseSum = Number(f[f.length - 2]);
      const readCount = Number(f[f.length - 1]);
      // Exact: both sum per-base depth over the probe and count overlapping reads.
      expect(p.depth * (p.end - p.start)).toBeCloseTo(baseSum, 6);
      expect(p.reads).toBe(readCount);
    }
  });
});
