// The cohort plot's order and marks: levels sorted (ties in table order),
// each mark the sample's assessment (the bulk call kept as data-call),
// no-calls and failed samples apart without a level, values beyond the axis
// pinned to its edge, the threshold used, names escaped.
import { describe, expect, it } from 'vitest';
import { cohortOrder, cohortPlotSvg, type CohortPoint } from '../../src/output/cohort-plot.js';

const points: CohortPoint[] = [
  { sample: 'err1', call: 'error', assessment: null, log2: null, ci95: null },
  { sample: 'high', call: 'amplified', assessment: 'amplified', log2: 7.5, ci95: [7.1, 7.9] },
  { sample: 'nc', call: 'no_call', assessment: 'no_call', log2: 2.2, ci95: [1.5, 2.9] },
  { sample: 'b', call: 'not_amplified', assessment: 'indeterminate', log2: 0.1, ci95: [-0.1, 0.3] },
  { sample: 'a', call: 'not_amplified', assessment: 'amplified', log2: 0.1, ci95: [-0.1, 0.3] },
  { sample: '<low&>', call: 'not_amplified', assessment: 'not_amplified', log2: -1, ci95: [-1.2, -0.8] },
];

describe('cohort plot', () => {
  it('orders samples by level, ties in table order, then no-calls, then failed', () => {
    expect(cohortOrder(points).map(i => points[i].sample)).toEqual(['<low&>', 'b', 'a', 'high', 'nc', 'err1']);
  });

  it('marks each sample once with its rank, pins a level beyond the axis at the top, and draws no-calls and failed samples apart from the log2 axis', () => {
    const svg = cohortPlotSvg(points, 1.5);
    const marks = [...svg.matchAll(/<g class="sample ([a-z_]+)" data-sample="([^"]*)" data-rank="(\d)"(?: data-log2="([^"]+)")? data-call="([a-z_]+)">(.*?)<\/g>/g)];
    expect(marks.map(m => [m[2], m[3], m[4], m[1], m[5]])).toEqual([
      ['&lt;low&amp;&gt;', '0', '-1', 'not_amplified', 'not_amplified'],
      ['b', '1', '0.1', 'indeterminate', 'not_amplified'],
      ['a', '2', '0.1', 'amplified', 'not_amplified'],
      ['high', '3', '7.5', 'amplified', 'amplified'],
      ['nc', '4', undefined, 'no_call', 'no_call'],
      ['err1', '5', undefined, 'error', 'error'],
    ]);
    // the mark is the assessment's: a tumour assessed amplified below the threshold is a filled circle,
    // an indeterminate one an open purple circle with a dashed interval, whatever the bulk call
    expect(marks[2][6]).toMatch(/<circle [^>]*fill="#d55e00"/);
    expect(marks[1][6]).toMatch(/<circle [^>]*fill="#ffffff" stroke="#8e3a73"/);
    expect(marks[1][6]).toMatch(/class="ci"[^>]*stroke-dasharray/);
    expect(marks[0][6]).toMatch(/<path d="M[^"]*Z" fill="#0072b2"/);
    expect(marks[2][6]).toMatch(/<title>a: assessed amplified; bulk call not amplified, log2 0.10 \(95% CI -0.10 to 0.30\)<\/title>/);
    // 7.5 is above the axis (which stops at 6): a triangle, no circle
    expect(marks[3][6]).toMatch(/class="clamped"/);
    expect(marks[3][6]).not.toMatch(/<circle/);
    expect(marks[4][6]).toMatch(/<rect [^>]*fill="none"/);
    expect(marks[4][6]).not.toMatch(/class="ci"/);
    // no-calls and failed samples sit in a strip of their own, below the log2 panel, not on its axis
    const panel = /<g class="panel" id="cohort" [^>]*data-y="(\d+)" data-height="(\d+)"/.exec(svg)!;
    const axisBottom = Number(panel[1]) + Number(panel[2]);
    const strip = /<rect class="no-level" x="[^"]+" y="([\d.]+)" width="[^"]+" height="([\d.]+)"/.exec(svg)!;
    expect(Number(strip[1])).toBeGreaterThan(axisBottom);
    expect(svg).toMatch(/>no level<\/text>/);
    const stripYs = [Number(strip[1]), Number(strip[1]) + Number(strip[2])];
    const noCallY = Number(/<rect x="[^"]+" y="([\d.]+)" width="10" height="10"/.exec(marks[4][6])![1]) + 5;
    const failedY = Number(/<path d="M[\d.]+ ([\d.]+)L/.exec(marks[5][6])![1]) + 5;
    for (const y of [noCallY, failedY]) {
      expect(y).toBeGreaterThan(stripYs[0]);
      expect(y).toBeLessThan(stripYs[1]);
    }
    expect(svg).toMatch(/<line class="threshold" data-value="1.5"/);
    expect(svg).toContain('>assessment: 2 amplified, 1 indeterminate, 1 not amplified, 1 no call, 1 failed<');
    expect(svg).toContain('>bulk call: 1 amplified, 3 not amplified, at log2 ≥ 1.5; bulk log2 ratio with 95% interval, sorted<');
    expect(svg).not.toMatch(/<low&>/);
  });
});
