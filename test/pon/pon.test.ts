// Building and reading panels of normals (the command: pon.e2e.test.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureBam } from '../../src/coverage/measure.js';
import { readBed } from '../../src/panel/bed.js';
import { buildPon, type NormalCoverage } from '../../src/pon/build.js';
import { readPon, writePon } from '../../src/pon/file.js';
import { panelFingerprint } from '../../src/pon/pon.js';
import { QC_LIMIT_MARGIN } from '../../src/pon/qc-limits.js';
import { DEMO_PANEL, TEST_DATA, tempDir } from '../helpers.js';

const panel = readBed(DEMO_PANEL);
const filters = { minMapq: 20, excludeFlags: 3844, countMateOverlapOnce: true };
const options = { panelSource: 'demo', filters, gcSource: 'panel' as const, version: 'test' };
let normals: NormalCoverage[];
let ofAllTen: ReturnType<typeof buildPon> | undefined;
/** The PoN of the ten normals with the panel's GC, built once for the tests that only read it. */
const ponOfAllTen = () => (ofAllTen ??= buildPon(normals, panel.probes, panel.probes.map(p => p.gc), options));

beforeAll(async () => {
  normals = [];
  for (let i = 1; i <= 10; i++) {
    const name = `N${String(i).padStart(2, '0')}`;
    const m = await measureBam(join(TEST_DATA, `${name}.bam`), panel.probes, 'demo', filters);
    normals.push({ name, bam: name, build: m.build, depths: m.depths, medianInsert: m.medianInsert, insertSpread: m.insertSpread });
  }
});

describe('building a panel of normals', () => {
  it('refuses fewer than 3 normals and warns below 10', () => {
    expect(() => buildPon(normals.slice(0, 2), panel.probes, [], options)).toThrow(/at least 3 normal BAMs, got 2/);
    const { warnings } = buildPon(normals.slice(0, 5), panel.probes, panel.probes.map(p => p.gc), options);
    expect(warnings.join(' ')).toMatch(/only 5 normals used: probe spreads are imprecise below 10/);
  });

  it('takes a precomputed normal (no header, no build) beside normals of one build, and refuses two builds', () => {
    const mixed = normals.slice(0, 4).map((n, i) => (i === 0 ? { ...n, build: 'unknown', coverage: 'mosdepth_regions' } : n));
    expect(buildPon(mixed, panel.probes, panel.probes.map(p => p.gc), options).pon.build).toBe('GRCh38');
    // a BAM of an assembly her2cn does not know (another build's lengths) is another build
    const otherAssembly = normals.slice(0, 4).map((n, i) => (i === 0 ? { ...n, build: 'unknown' } : n));
    expect(() => buildPon(otherAssembly, panel.probes, panel.probes.map(p => p.gc), options)).toThrow(/normals come from different genome builds \(N01: unknown, N02: GRCh38/);
    const two = normals.slice(0, 4).map((n, i) => (i === 0 ? { ...n, build: 'GRCh37' } : n));
    expect(() => buildPon(two, panel.probes, panel.probes.map(p => p.gc), options)).toThrow(/normals come from different genome builds \(N01: GRCh37, N02: GRCh38/);
  });

  it('records the panel fingerprint, build, filters, normals and their sexes', () => {
    const { pon } = ponOfAllTen();
    expect(pon.panel.fingerprint).toBe(panelFingerprint(panel.probes));
    expect(pon.build).toBe('GRCh38');
    expect(pon.filters).toEqual(filters);
    expect(pon.normals.map(n => n.sex)).toEqual(['female', 'female', 'female', 'female', 'female', 'male', 'male', 'male', 'male', 'female']);
    expect(pon.normals.find(n => n.name === 'N10')!.used).toBe(false);
    // chrY reference comes from the male normals only, on a two-copy scale
    const y = pon.probes.chrom.map((c, i) => (c === 'chrY' ? pon.probes.log2[i] : undefined)).filter(v => v !== undefined) as number[];
    expect(Math.abs(y.reduce((a, b) => a + b, 0) / y.length)).toBeLessThan(0.4);
    // the fragment-length effect is measured: FFPE normals have short inserts
    expect(pon.insertEffect.coefficient).toBeGreaterThan(0);
  });

  it('stores the QC spread limits: twice the largest of the used normals\' spreads, each measured against the others', () => {
    const { pon } = ponOfAllTen();
    const used = pon.normals.filter(n => n.used);
    const largest = (k: 'erbb2ProbeSpread' | 'geneLevelSpread') => Math.max(...used.map(n => n[k]!));
    expect(pon.qcLimits.margin).toBe(QC_LIMIT_MARGIN);
    for (const k of ['erbb2ProbeSpread', 'geneLevelSpread'] as const) {
      // every used normal measured, about 1 (its spread over its own noise), none of the others
      for (const n of used) expect(n[k], `${n.name} ${k}`).toBeGreaterThan(0.2);
      for (const n of used) expect(n[k], `${n.name} ${k}`).toBeLessThan(2.5);
      expect(pon.normals.find(n => n.name === 'N10')![k]).toBeNull();
      expect(pon.qcLimits[k]!).toBeGreaterThanOrEqual(QC_LIMIT_MARGIN * largest(k));
      expect(pon.qcLimits[k]!).toBeLessThan(QC_LIMIT_MARGIN * largest(k) + 0.01);
    }
  });

  it('gives a noisy normal away in its noise, not by its name', () => {
    const shuffled = [normals[9], ...normals.slice(0, 9)].map((n, i) => ({ ...n, name: `S${i}` }));
    const { pon } = buildPon(shuffled, panel.probes, panel.probes.map(p => p.gc), options);
    expect(pon.normals.filter(n => !n.used).map(n => n.name)).toEqual(['S0']);
  });

  it('is the same whichever way the panel names chromosomes', () => {
    const bare = panel.probes.map(p => ({ ...p, chrom: p.chrom.replace(/^chr/, '') }));
    expect(panelFingerprint(bare)).toBe(panelFingerprint(panel.probes));
    expect(panelFingerprint(panel.probes.slice(1))).not.toBe(panelFingerprint(panel.probes));
  });

  it('round-trips through JSON and gzipped JSON', async () => {
    const { pon } = ponOfAllTen();
    const dir = tempDir();
    writePon(join(dir, 'pon.json'), pon);
    writePon(join(dir, 'pon.json.gz'), pon);
    expect(await readPon(join(dir, 'pon.json'))).toEqual(pon);
    expect(await readPon(join(dir, 'pon.json.gz'))).toEqual(pon);
  });
});

describe('reading a panel of normals', () => {
  it.each([
    ['not json', 'hello', /not valid JSON/],
    ['another JSON', '{"a":1}', /not a her2cn panel of normals/],
    ['a damaged one', JSON.stringify({ format: 'her2cn-pon', formatVersion: 2, probes: { chrom: ['chr1'], start: [1] } }), /damaged/],
    ['one written before the fragment-length model changed', JSON.stringify({ format: 'her2cn-pon', formatVersion: 1 }), /format version 1, this her2cn reads version 2; rebuild it with this her2cn's 'her2cn pon' from the same normals$/],
    ['a newer format', JSON.stringify({ format: 'her2cn-pon', formatVersion: 99 }), /format version 99/],
  ])('refuses %s with a clear message', async (_, text, message) => {
    const path = join(tempDir(), 'pon.json');
    writeFileSync(path, text);
    await expect(readPon(path)).rejects.toThrow(message);
  });

  it('refuses corrupted gzip', async () => {
    const path = join(tempDir(), 'pon.json.gz');
    writeFileSync(path, gzipSync('{"format":"her2cn-pon"}').subarray(0, 12));
    await expect(readPon(path)).rejects.toThrow(/corrupted gzip/);
  });
});
