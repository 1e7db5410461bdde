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
    expect(count(genome.body, /class="probe[ "]/g)).toBe(probes.length);
    expect(count(chr17.body, /class="probe[ "]/g)).toBe(probes.filter(f => f[0] === 'chr17').length);
    expect(count(chr17.body, /class="probe erbb2[ "]/g)).toBe(probes.filter(f => f[3] === 'ERBB2').length);
    // excluded probes are drawn, not hidden
    expect(count(genome.body, /class="probe[^"]* excluded"/g)).toBe(probes.filter(f => f[5] === 'NA').length);
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
    expect(a.readUInt32BE(16)).toBe(1500); // 1000 px SVG at 1.5x
    const dir = tempDir();
    runCli(['call', join(TEST_DATA, 'T01.bam'), '--out', dir]);
    expect(readFileSync(join(dir, 'T01.plot.png')).equals(a)).toBe(true);
  });
});
