// The panel of normals' guards against bad normals, on real BAMs from the
// simulator: the same library under several names, a subset of one
// library's reads, a HER2-positive tumour among the normals, a normal with
// no reads on the probes, and FASTAs that do not cover the panel. Each is
// run through `her2cn pon` and checked for its message, exit code and, when
// refused, that nothing was written.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureBam } from '../../src/coverage/measure.js';
import { readBed } from '../../src/panel/bed.js';
import { buildPon, type NormalCoverage } from '../../src/pon/build.js';
import { readPon } from '../../src/pon/file.js';
import type { PanelOfNormals } from '../../src/pon/pon.js';
import { BamWriter } from '../../src/simulate/bam-writer.js';
import { cohort } from '../../src/simulate/cohort.js';
import type { SampleSpec } from '../../src/simulate/model.js';
import { simulateReads } from '../../src/simulate/reads.js';
import { COMMITTED_SEED } from '../../src/simulate/seed.js';
import { grch38References, headerText } from '../../src/simulate/write.js';
import { hashString } from '../../src/stats/random.js';
import { DEMO_PANEL, expectRefused, ROOT, runCli, TEST_DATA, tempDir } from '../helpers.js';

const panel = readBed(DEMO_PANEL);
const N01 = cohort({ seed: COMMITTED_SEED }).find(s => s.name === 'N01')!;
const dir = tempDir('her2cn-pon-integrity-');
const normal = (name: string) => join(TEST_DATA, `${name}.bam`);
const made = (name: string) => join(dir, `${name}.bam`);
const NINE = Array.from({ length: 9 }, (_, i) => normal(`N0${i + 1}`));

/**
 * Writes `spec`'s library (the committed seed: the reads of test-data/<spec>.bam)
 * as sample `alias`, keeping the read pairs `keep` accepts, captured on `probes`.
 */
function writeLibraryAs(spec: SampleSpec, alias: string, options: { keep?: (name: string) => boolean; probes?: typeof panel.probes } = {}): string {
  const refs = grch38References();
  const writer = new BamWriter(made(alias), headerText({ ...spec, name: alias }, refs, `her2cn test: ${spec.name} as ${alias}`), refs);
  simulateReads(spec, options.probes ?? panel.probes, refs, COMMITTED_SEED, r => {
    if (!options.keep || options.keep(r.name)) writer.add({ ...r, tags: { ...r.tags, RG: alias } });
  });
  writer.close();
  return made(alias);
}

/** A fresh, not yet existing output folder, and the PoN path in it. */
function output(): { out: string; pon: string } {
  const out = join(tempDir(), 'pons');
  return { out, pon: join(out, 'pon.json') };
}

beforeAll(() => {
  // N01's reads under four other sample names: one library given five times.
  for (const alias of ['D02', 'D03', 'D04', 'D05']) writeLibraryAs(N01, alias);
  // 80% of N01's read pairs: the same library, one of its lanes.
  writeLibraryAs(N01, 'S80', { keep: name => hashString(`lane ${name}`) % 100 < 80 });
  // N01's library captured with probes 3 Mb away: reads, but none on this panel's probes.
  writeLibraryAs(N01, 'Z01', { probes: panel.probes.map(p => ({ ...p, start: p.start + 3_000_000, end: p.end + 3_000_000 })) });
});

describe('her2cn pon refuses the same library given twice', () => {
  it('five copies of one normal under different names: identical depths, all named', () => {
    const { out, pon } = output();
    const bams = [normal('N01'), made('D02'), made('D03'), made('D04'), made('D05')];
    expectRefused(
      ['pon', ...bams, '-o', pon],
      /^her2cn: error: normals N01 \(\S+N01\.bam\), D02 \(\S+D02\.bam\), D03 \(\S+D03\.bam\), D04 \(\S+D04\.bam\) and D05 \(\S+D05\.bam\) have identical depths on every probe: one library given 5 times; give each library once$/,
      out,
    );
  });

  it('one copy among nine normals', () => {
    const { out, pon } = output();
    expectRefused(['pon', ...NINE, made('D03'), '-o', pon], /normals N01 \(\S+\) and D03 \(\S+\) have identical depths on every probe: one library given 2 times/, out);
  });

  it('a subset of one library\'s reads: near-identical residuals, named with their correlation and the limit', () => {
    const { out, pon } = output();
    const line = expectRefused(
      ['pon', ...NINE, made('S80'), '-o', pon],
      /^her2cn: error: near-identical normals: the probe log2 residuals of N01 \(\S+N01\.bam\) and S80 \(\S+S80\.bam\) correlate 0\.\d\d \(limit 0\.\d\d; these normals' pairs: median -?0\.\d\d, robust SD 0\.\d\d\); the same library twice\? give each library once$/,
      out,
    );
    const [, correlation, limit] = /correlate (\S+) \(limit (\S+);/.exec(line)!.map(Number);
    expect(correlation).toBeGreaterThan(0.85);
    expect(limit).toBeLessThan(0.8);
  });
});

describe('her2cn pon leaves out a normal that is not normal, and says so', () => {
  let withTumour: PanelOfNormals;
  let nineOnly: PanelOfNormals;
  beforeAll(async () => {
    const a = output();
    const r = runCli(['pon', ...NINE, join(TEST_DATA, 'T01.bam'), '-o', a.pon]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/her2cn: warning: normal T01 left out: copy-number outlier against the normals' median: ERBB2 log2 \+1\.\d\d \(limit ±0\.\d\d\).*; a tumour or a contaminated normal\?\n/);
    expect(r.stderr).toMatch(/her2cn: warning: only 9 normals used: probe spreads are imprecise below 10/);
    expect(r.stdout).toMatch(/9 of 10 normals used/);
    withTumour = await readPon(a.pon);
    const b = output();
    expect(runCli(['pon', ...NINE, '-o', b.pon]).status).toBe(0);
    nineOnly = await readPon(b.pon);
  }, 120_000);

  it('records the tumour as left out, with the reason', () => {
    const t01 = withTumour.normals.find(n => n.name === 'T01')!;
    expect(t01.used).toBe(false);
    expect(t01.reason).toMatch(/^copy-number outlier against the normals' median: ERBB2 log2 \+1\.\d\d/);
    expect(withTumour.normals.filter(n => n.used).map(n => n.name)).toEqual(nineOnly.normals.map(n => n.name));
  });

  it('builds what the nine normals alone build: the tumour enters neither the levels nor the fits nor the gene-level SD', () => {
    expect(withTumour.probes).toEqual(nineOnly.probes);
    expect(withTumour.insertEffect).toEqual(nineOnly.insertEffect);
    expect(withTumour.geneLevelSd).toBe(nineOnly.geneLevelSd);
    expect(withTumour.geneLevelSd).toBeLessThan(0.15);
    expect(withTumour.typicalSpread).toBe(nineOnly.typicalSpread);
  });

  it('leaves out a normal with no reads on the probes, naming it, and records it', async () => {
    const { pon } = output();
    const r = runCli(['pon', normal('N01'), normal('N02'), normal('N03'), normal('N04'), made('Z01'), '-o', pon]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/her2cn: \S+Z01\.bam: Z01, 0 reads on probes/);
    expect(r.stderr).toMatch(/her2cn: warning: normal Z01 left out: no usable coverage: no reads on any of the panel's 311 probes\n/);
    expect(r.stdout).toMatch(/4 of 5 normals used/);
    const z01 = (await readPon(pon)).normals.find(n => n.name === 'Z01')!;
    expect(z01).toMatchObject({ used: false, reason: "no usable coverage: no reads on any of the panel's 311 probes", medianDepth: 0, noise: null, sex: 'unknown' });
  });

  it('refuses when too few normals are left, naming each left out and why; nothing written', () => {
    const { out, pon } = output();
    expectRefused(
      ['pon', normal('N01'), normal('N02'), made('Z01'), '-o', pon],
      /^her2cn: error: only 2 of 3 normals are usable \(Z01: no usable coverage: no reads on any of the panel's 311 probes\); a panel of normals needs at least 3: add normals of the same assay$/,
      out,
    );
  });
});

describe('her2cn pon refuses a FASTA that does not cover the panel', () => {
  /** An indexed FASTA with `length` random bases under each name. */
  function fasta(name: string, contigs: string[], length: number): string {
    const path = join(dir, name);
    let text = '';
    let fai = '';
    for (const c of contigs) {
      const seq = Array.from({ length }, (_, i) => 'ACGT'[hashString(`${c} ${i}`) % 4]).join('');
      const header = `>${c}\n`;
      fai += `${c}\t${length}\t${text.length + header.length}\t60\t61\n`;
      text += header + seq.match(/.{1,60}/g)!.join('\n') + '\n';
    }
    writeFileSync(path, text);
    writeFileSync(`${path}.fai`, fai);
    return path;
  }
  const three = () => [normal('N01'), normal('N02'), normal('N03')];

  it('one lacking the panel\'s chromosomes', () => {
    const { out, pon } = output();
    const path = fasta('chr17-only.fa', ['chr17'], 6000);
    expectRefused(['pon', ...three(), '--fasta', path, '-o', pon], /chr17-only\.fa: the reference has no sequence chr1; is it the panel's genome build\?$/, out);
  });

  it('one whose sequences carry the panel\'s names but stop short of its probes', () => {
    const { out, pon } = output();
    const chromosomes = [...Array.from({ length: 22 }, (_, i) => `chr${i + 1}`), 'chrX', 'chrY'];
    const path = fasta('short.fa', chromosomes, 6000);
    expectRefused(
      ['pon', ...three(), '--fasta', path, '-o', pon],
      /short\.fa: does not cover the panel: 311 of its 311 probes have no A, C, G or T base in it \(first: chr1-backbone_p1 at chr1:31119493-31119613, its chr1 is only 6000 bp long\); give the FASTA of the panel's genome build$/,
      out,
    );
  });
});

describe('the embedded panel of normals', () => {
  it('is what the ten test-data normals build with the integrity checks in place, field for field', async () => {
    const filters = { minMapq: 20, excludeFlags: 3844, countMateOverlapOnce: true };
    const normals: NormalCoverage[] = [];
    for (let i = 1; i <= 10; i++) {
      const name = `N${String(i).padStart(2, '0')}`;
      const m = await measureBam(normal(name), panel.probes, 'demo', filters);
      normals.push({ name, bam: `test-data/${name}.bam`, build: m.build, depths: m.depths, medianInsert: m.medianInsert, insertSpread: m.insertSpread });
    }
    const embedded = await readPon(join(ROOT, 'panels', 'her2cn-demo-grch38.pon.json'));
    const { pon } = buildPon(normals, panel.probes, panel.probes.map(p => p.gc), { panelSource: embedded.panel.source, filters, gcSource: 'panel', version: embedded.tool.version });
    expect(pon).toEqual(embedded);
  });
});
