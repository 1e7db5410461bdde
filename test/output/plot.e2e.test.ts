// The probe plot, checked by its structure: one mark per probe, ERBB2 marks
// highlighted, the threshold line where the axis puts the threshold, and
// each of the six cases recognisable.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../fixtures.js';
import { runCli, TEST_DATA, tempDir } from '../helpers.js';

/** `her2cn call` of every committed tumour, made once per test run (fixtures.ts). */
const out = fixtures().calls;
const CASES = { amplified: 'T01', partial: 'T04', heterogeneous: 'T05', polysomy: 'T06', not_amplified: 'T10', no_call: 'T13' } as const;
const svg = (s: string) => readFileSync(join(out, `${s}.plot.svg`), 'utf8');

interface PanelGeometry {
  top: number;
  bottom: number;
  y: number;
  height: number;
  body: string;
}

function panel(text: string, id: string): PanelGeometry {
  const m = new RegExp(`<g class="panel" id="${id}" data-top="([-\\d.]+)" data-bottom="([-\\d.]+)" data-y="([\\d.]+)" data-height="([\\d.]+)">([\\s\\S]*?)</g>`).exec(text)!;
  return { top: Number(m[1]), bottom: Number(m[2]), y: Number(m[3]), height: Number(m[4]), body: m[5] };
}

const yFor = (p: PanelGeometry, v: number) => p.y + ((p.top - v) / (p.top - p.bottom)) * p.height;
const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;

describe('probe plot', () => {
  it.each(Object.entries(CASES))('%s (%s): one mark per probe in each panel, ERBB2 highlighted', (_, sample) => {
    const probes = readFileSync(join(out, `${sample}.probes.tsv`), 'utf8').trim().split('\n').slice(1).map(l => l.split('\t'));
    const text = svg(sample);
    const genome = panel(text, 'genome');
    const chr17 = panel(text, 'chr17');
    // chrY probes of a sample without a Y are left out (not piled on the axis), and said so
    const measured = probes.filter(f => !f[7].split(',').includes('not_in_sex'));
    if (measured.length < probes.length) expect(text).toContain(`${probes.length - measured.length} chrY probes left out: no Y chromosome`);
    expect(count(genome.body, /class="probe[ "]/g)).toBe(measured.length);
    expect(count(chr17.body, /class="probe[ "]/g)).toBe(probes.filter(f => f[0] === 'chr17').length);
    expect(count(chr17.body, /class="probe erbb2[ "]/g)).toBe(probes.filter(f => f[3] === 'ERBB2').length);
    // other excluded probes are drawn, not hidden
    expect(count(genome.body, /class="probe[^"]* excluded"/g)).toBe(measured.filter(f => f[5] === 'NA').length);
  });

  it('draws the threshold actually used at the height the axis gives it, and 0', () => {
    const dir = tempDir();
    runCli(['call', join(TEST_DATA, 'T01.bam'), '--out', dir, '--threshold', '1.8']);
    const text = readFileSync(join(dir, 'T01.plot.svg'), 'utf8');
    for (const id of ['genome', 'chr17']) {
      const p = panel(text, id);
      const t = /<line class="threshold" data-value="([\d.]+)" x1="[\d.]+" y1="([\d.]+)"/.exec(p.body)!;
      expect(Number(t[1])).toBe(1.8);
      expect(Number(t[2])).toBeCloseTo(yFor(p, 1.8), 1);
      const z = /<line class="zero" data-value="0" x1="[\d.]+" y1="([\d.]+)"/.exec(p.body)!;
      expect(Number(z[1])).toBeCloseTo(yFor(p, 0), 1);
    }
    expect(text).toMatch(/threshold 1\.8/);
  });

  const erbb2Heights = (sample: string) => {
    const p = panel(svg(sample), 'chr17');
    return { p, cys: [...p.body.matchAll(/<circle class="probe erbb2" data-log2="([-\d.]+)" cx="[\d.]+" cy="([\d.]+)"/g)].map(m => Number(m[2])) };
  };

  it('amplified: every ERBB2 probe above the threshold line, with the level and its interval drawn', () => {
    const { p, cys } = erbb2Heights(CASES.amplified);
    expect(cys.length).toBe(53);
    expect(cys.every(y => y < yFor(p, 1.3))).toBe(true);
    expect(p.body).toMatch(/class="erbb2-level"/);
    expect(p.body).toMatch(/class="erbb2-ci"/);
    expect(svg(CASES.amplified)).toMatch(/T01: ERBB2 AMPLIFIED/);
  });

  it('not amplified: every ERBB2 probe below the threshold line', () => {
    const { p, cys } = erbb2Heights(CASES.not_amplified);
    expect(cys.every(y => y > yFor(p, 1.3))).toBe(true);
    expect(svg(CASES.not_amplified)).toMatch(/T10: ERBB2 not amplified/);
  });

  it('partial amplicon: ERBB2 probes on both sides of the threshold', () => {
    const { p, cys } = erbb2Heights(CASES.partial);
    expect(cys.filter(y => y < yFor(p, 1.3)).length).toBeGreaterThan(20);
    expect(cys.filter(y => y > yFor(p, 1.3)).length).toBeGreaterThan(10);
  });

  it('polysomy: the rest of chromosome 17 drawn at about the ERBB2 level', () => {
    const text = svg(CASES.polysomy);
    const chr17 = Number(/class="chr17-level" data-value="([-\d.]+)"/.exec(text)![1]);
    const erbb2 = Number(/class="erbb2-level" data-value="([-\d.]+)"/.exec(text)![1]);
    expect(chr17).toBeGreaterThan(0.5);
    expect(Math.abs(erbb2 - chr17)).toBeLessThan(0.3);
  });

  it('marks the 17q12 neighbours at or above the threshold, and only those', () => {
    for (const sample of [CASES.amplified, CASES.not_amplified]) {
      const result = JSON.parse(readFileSync(join(out, `${sample}.her2cn.json`), 'utf8'));
      const raised: string[] = result.amplicon.neighbours.filter((g: { at_or_above_threshold: boolean }) => g.at_or_above_threshold).map((g: { gene: string }) => g.gene);
      const usable = readFileSync(join(out, `${sample}.probes.tsv`), 'utf8').trim().split('\n').slice(1).map(l => l.split('\t')).filter(f => raised.includes(f[3]) && f[5] !== 'NA');
      const body = panel(svg(sample), 'chr17').body;
      expect(count(body, /class="probe neighbour[ "]/g), sample).toBe(usable.length);
      expect(count(body, /class="neighbour-band"/g), sample).toBe(raised.length);
      if (sample === CASES.amplified) expect(raised.length).toBeGreaterThan(0);
    }
  });

  it('gives chromosome 17 a Mb axis in genomic order and both panels a bulk copy-number axis at 2 x 2^log2', () => {
    const text = svg(CASES.amplified);
    const chr17 = panel(text, 'chr17');
    const ticks = [...chr17.body.matchAll(/class="mb-tick" data-mb="([\d.]+)" x1="([\d.]+)"/g)].map(m => ({ mb: Number(m[1]), x: Number(m[2]) }));
    expect(ticks.length).toBeGreaterThan(8);
    // positions rise with x, and the 17q12 window around ERBB2 (39.7 Mb) has ticks a tenth of a Mb apart
    for (let i = 1; i < ticks.length; i++) expect(ticks[i].mb).toBeGreaterThan(ticks[i - 1].mb);
    expect(ticks.map(t => t.mb)).toEqual(expect.arrayContaining([39.6, 39.7, 39.8]));
    for (const id of ['genome', 'chr17']) {
      const p = panel(text, id);
      for (const m of p.body.matchAll(/class="copies-tick" data-copies="([\d.]+)" x1="[\d.]+" y1="([\d.]+)"/g)) {
        expect(Number(m[2])).toBeCloseTo(yFor(p, Math.log2(Number(m[1]) / 2)), 1);
      }
      expect(p.body).toMatch(/data-copies="2"/);
      expect(p.body).toMatch(/data-copies="8"/);
    }
    expect(text).toContain('bulk copies, 2 × 2^log2');
    // the amplicon's extent in Mb is stated
    expect(text).toMatch(/Segment at ERBB2: 39\.\d\d–39\.\d\d Mb \(\d+ kb, log2 1\.\d\d\)/);
  });

  it('places gene labels without overlap, and draws the rest of chromosome 17 over the zero line, its label off the data', () => {
    for (const sample of Object.values(CASES)) {
      const body = panel(svg(sample), 'chr17').body;
      const xs = [...body.matchAll(/class="gene-label" data-x="([\d.]+)"/g)].map(m => Number(m[1]));
      expect(xs.length).toBeGreaterThan(20);
      for (let i = 1; i < xs.length; i++) expect(xs[i] - xs[i - 1], `${sample} label ${i}`).toBeGreaterThanOrEqual(11.9);
      if (sample !== CASES.no_call) {
        expect(body.indexOf('class="chr17-level"')).toBeGreaterThan(body.indexOf('class="zero"'));
        expect(svg(sample)).toMatch(/··· rest of chr17 log2 -?\d\.\d\d/);
      }
    }
  });

  it('no call: unmistakable, and no ERBB2 level drawn', () => {
    const text = svg(CASES.no_call);
    expect(text).toMatch(/NO CALL \(QC failed\)/);
    expect(count(text, /NO CALL: QC FAILED/g)).toBe(2);
    expect(text).not.toMatch(/class="erbb2-level"/);
  });

  it('pins values beyond the axis to its edge as triangles', () => {
    const text = svg(CASES.amplified);
    const p = panel(text, 'genome');
    for (const m of p.body.matchAll(/class="probe[^"]*clamped" data-log2="([-\d.]+)"/g)) {
      expect(Number(m[1]) > p.top || Number(m[1]) < p.bottom).toBe(true);
    }
  });

  it('renders a PNG from the SVG, the same bytes every time', () => {
    const a = readFileSync(join(out, 'T01.plot.png'));
    expect(a.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(a.readUInt32BE(16)).toBe(1110); // 740 px SVG at 1.5x
    const dir = tempDir();
    runCli(['call', join(TEST_DATA, 'T01.bam'), '--out', dir]);
    expect(readFileSync(join(dir, 'T01.plot.png')).equals(a)).toBe(true);
  });
});
