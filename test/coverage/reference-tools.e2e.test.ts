// her2cn's per-probe depth against independent tools on every test-data BAM:
// mosdepth (which corrects mate overlap as we do) and samtools bedcov (which
// counts overlapping mates twice: compared with our engine set the same way),
// each run once per test run on all the BAMs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { openBam } from '../../src/coverage/bam.js';
import { computeCoverage, DEFAULT_FILTER, type ProbeCoverage } from '../../src/coverage/engine.js';
import { readBed } from '../../src/panel/bed.js';
import { backgroundFixtures, fixtures, MOSDEPTH_SAMPLES, type MosdepthRun } from '../fixtures.js';
import { COHORT_SAMPLES, DEMO_PANEL, execFileAsync, TEST_DATA, toolAvailable } from '../helpers.js';

const panel = readBed(DEMO_PANEL);

async function ours(sample: string, countMateOverlapOnce = true): Promise<ProbeCoverage[]> {
  const bam = await openBam(join(TEST_DATA, `${sample}.bam`));
  try {
    return (await computeCoverage(bam, panel, { ...DEFAULT_FILTER, countMateOverlapOnce })).probes;
  } finally {
    bam.close();
  }
}

/** mosdepth's regions.bed.gz (a shared fixture) as a map from "chrom:start-end" to mean depth. */
function mosdepth(run: MosdepthRun): Map<string, number> {
  const text = gunzipSync(readFileSync(run.regions)).toString('utf8');
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
  // T01's genome-wide run may still be going on (e2e-setup.ts).
  beforeAll(() => backgroundFixtures(), 300_000);
  // mosdepth allocates a per-base array for each whole chromosome (about 30 s
  // of CPU for a whole-genome header), so four tumours whose reads differ
  // most are compared on chromosome 17, where ERBB2 and its reference probes
  // are (T11's short inserts make mates overlap), and T01, amplified, also
  // genome-wide. Every sample is compared with samtools bedcov below. The
  // runs are made once per test run (e2e-setup.ts says why these four).
  const runs = haveMosdepth ? fixtures().mosdepth : {};
  const genomeWideSamples = Object.keys(runs).filter(s => runs[s].scope === 'genome').sort();
  const tumours = [...MOSDEPTH_SAMPLES];

  it('has mosdepth\'s output for T01, T02, T11 and T13, genome-wide for T01', () => {
    expect(Object.keys(runs).sort()).toEqual(tumours);
    expect(genomeWideSamples).toEqual(['T01']);
  });

  it.each(tumours)('%s on chr17', async sample => {
    const depths = mosdepth(runs[sample]);
    const probes = (await ours(sample)).filter(p => p.chrom === 'chr17');
    expect(probes.length).toBeGreaterThan(100);
    for (const p of probes) {
      const expected = depths.get(`${p.chrom}:${p.start}-${p.end}`);
      expect(expected, `${p.name} missing from mosdepth output`).toBeDefined();
      if (!agrees(p.depth, expected!)) expect.fail(`${sample} ${p.name}: her2cn ${p.depth}, mosdepth ${expected}`);
    }
  });

  it('T01 on every probe', async () => {
    const sample = 'T01';
    const depths = mosdepth(runs[sample]);
    const probes = await ours(sample);
    expect(probes.length).toBe(panel.probes.length);
    for (const p of probes) {
      const expected = depths.get(`${p.chrom}:${p.start}-${p.end}`)!;
      if (!agrees(p.depth, expected)) expect.fail(`${sample} ${p.name}: her2cn ${p.depth}, mosdepth ${expected}`);
    }
  });
});

describe.skipIf(!haveSamtools)('coverage agrees with samtools bedcov -Q 20 -G 3844 -j -c on every probe', () => {
  // One samtools run over all the BAMs: per probe, each BAM's base sum, then each BAM's read count.
  let rows: Map<string, string[]>;
  beforeAll(async () => {
    const bams = COHORT_SAMPLES.map(s => join(TEST_DATA, `${s}.bam`));
    const { stdout } = await execFileAsync('samtools', ['bedcov', '-Q', '20', '-G', '3844', '-j', '-c', DEMO_PANEL, ...bams], { maxBuffer: 1 << 26 });
    rows = new Map(stdout.trim().split('\n').map(l => l.split('\t')).map(f => [`${f[0]}:${f[1]}-${f[2]}`, f.slice(-2 * bams.length)]));
  });

  it.each(COHORT_SAMPLES.map((s, i) => [s, i] as const))('%s', async (sample, i) => {
    const n = COHORT_SAMPLES.length;
    const probes = await ours(sample, false);
    expect(probes.length).toBe(panel.probes.length);
    for (const p of probes) {
      const f = rows.get(`${p.chrom}:${p.start}-${p.end}`)!;
      const baseSum = Number(f[i]);
      const readCount = Number(f[n + i]);
      // Exact: both sum per-base depth over the probe and count overlapping reads.
      expect(p.depth * (p.end - p.start)).toBeCloseTo(baseSum, 6);
      expect(p.reads).toBe(readCount);
    }
  });
});
