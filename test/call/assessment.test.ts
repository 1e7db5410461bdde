// The tumour-cell assessment on levels worked out by hand from the mixture
// model (bulk ratio R = (p * CN + 2 (1 - p)) / 2), independently of the code.
import { describe, expect, it } from 'vitest';
import { assess, copiesInterval, judgeBox, purityRange, ratioInterval } from '../../src/call/assessment.js';

/** The bulk log2 a tumour with `copies` per tumour cell gives at purity p. */
const bulkLog2 = (copies: number, p: number) => Math.log2((p * copies + 2 * (1 - p)) / 2);
const level = (value: number, half = 0.1) => ({ value, ci95: [value - half, value + half] as [number, number] });
const base = { qcPassed: true, threshold: 1.3, cep17Probes: 12, partial: undefined };

describe('tumour-cell copies and intervals', () => {
  it('takes a purity estimate as good to a factor 0.75-1.25', () => {
    expect(purityRange(0.5)).toEqual([0.4, 0.5 / 0.75]);
    expect(purityRange(0.9)[1]).toBe(1);
  });

  it('bounds copies by the corners of the log2 interval and the purity range', () => {
    // log2 1.0 to 1.2 at purity 0.4 to 0.6: CN = (2R - 2(1 - p)) / p at each corner.
    const [lo, hi] = copiesInterval([1, 1.2], [0.4, 0.6]);
    expect(lo).toBeCloseTo((2 * 2 - 2 * 0.4) / 0.6, 9); // lowest log2, highest purity
    expect(hi).toBeCloseTo((2 * 2 ** 1.2 - 2 * 0.6) / 0.4, 9); // highest log2, lowest purity
  });

  it('keeps a polysomy ratio near 1 whatever the purity', () => {
    const l = bulkLog2(5, 0.6);
    const r = ratioInterval([l - 0.05, l + 0.05], [l - 0.05, l + 0.05], purityRange(0.6));
    expect(r[0]).toBeGreaterThan(0.8);
    expect(r[1]).toBeLessThan(1.25);
  });

  it('judges boxes against ASCO/CAP groups 1 and 3', () => {
    expect(judgeBox([6.1, 9], [1, 1.5])).toBe('amplified'); // group 3 whatever the ratio
    expect(judgeBox([4.2, 5], [2.1, 3])).toBe('amplified'); // group 1
    expect(judgeBox([2.5, 3.9], [2.5, 4])).toBe('not_amplified'); // group 2 at most
    expect(judgeBox([4.5, 5.9], [0.8, 1.3])).toBe('not_amplified'); // group 4 at most
    expect(judgeBox([4.5, 6.5], [0.8, 1.3])).toBe('indeterminate'); // group 3 or 4
    expect(judgeBox([3, 9], null)).toBe('indeterminate');
  });
});

describe('the assessment', () => {
  const cep17 = level(0, 0.08);

  it('calls a 12-copy tumour at purity 0.5 amplified in tumour cells', () => {
    const a = assess({ ...base, erbb2: level(bulkLog2(12, 0.5)), cep17, purity: 0.5 });
    expect(a.assessment).toMatchObject({ status: 'amplified', basis: 'tumor_cells', action: 'report ERBB2 amplified' });
    expect(a.tumor!.erbb2_copies).toBeCloseTo(12, 3);
    expect(a.tumor!.group).toBe(1);
    expect(a.tumor!.ratio).toBeCloseTo(6, 3);
  });

  it('excludes amplification in a diploid tumour at purity 0.5', () => {
    const a = assess({ ...base, erbb2: level(0), cep17, purity: 0.5 });
    expect(a.assessment.status).toBe('not_amplified');
    expect(a.tumor!.erbb2_copies).toBeCloseTo(2, 6);
    expect(a.tumor!.group).toBe(5);
  });

  it('finds an 8-copy tumour at purity 0.3 below the bulk threshold, and says indeterminate with its detection limit', () => {
    const l = bulkLog2(8, 0.3);
    expect(l).toBeLessThan(1.3);
    const a = assess({ ...base, erbb2: level(l, 0.35), cep17: level(0, 0.35), purity: 0.3 });
    expect(a.assessment.status).toBe('indeterminate');
    expect(a.assessment.action).toBe('reflex to FISH');
    expect(a.tumor!.detection_limit_copies).toBeGreaterThan(8);
    expect(a.assessment.reasons[0]).toMatch(/fewer than [\d.]+ copies per tumour cell cannot be told from no amplification/);
    // The same tumour measured more precisely is amplified (ratio >= 2 and >= 4 copies).
    expect(assess({ ...base, erbb2: level(l, 0.05), cep17: level(0, 0.05), purity: 0.3 }).assessment.status).toBe('amplified');
  });

  it('calls monosomy 17 with 3 ERBB2 copies (group 2) not amplified', () => {
    const a = assess({ ...base, erbb2: level(bulkLog2(3, 0.7), 0.05), cep17: level(bulkLog2(1, 0.7), 0.05), purity: 0.7 });
    expect(a.tumor!.group).toBe(2);
    expect(a.assessment.status).toBe('not_amplified');
  });

  it('judges a partial amplicon on its amplified part, never as not amplified', () => {
    const partial = { estimate: level(bulkLog2(14, 0.6)), first: 'ERBB2_ex8_p1', last: 'ERBB2_ex16_p2', probes: 16, of: 53 };
    const whole = level(bulkLog2(2.5, 0.6));
    const a = assess({ ...base, erbb2: whole, cep17, purity: 0.6, partial });
    expect(a.assessment.status).toBe('amplified');
    expect(a.assessment.reasons.join(' ')).toMatch(/partial amplicon: ERBB2 probes ERBB2_ex8_p1 to ERBB2_ex16_p2/);
    const weak = assess({ ...base, erbb2: whole, cep17, purity: 0.6, partial: { ...partial, estimate: level(bulkLog2(5, 0.6), 0.3) } });
    expect(weak.assessment.status).toBe('indeterminate');
    const noPurity = assess({ ...base, erbb2: whole, cep17, partial });
    expect(noPurity.assessment.status).toBe('indeterminate');
  });

  it('without purity keeps the bulk call unless the data contradict it', () => {
    expect(assess({ ...base, erbb2: level(2), cep17 }).assessment).toMatchObject({ status: 'amplified', basis: 'bulk' });
    expect(assess({ ...base, erbb2: level(0.05), cep17 }).assessment.status).toBe('not_amplified');
    // the interval crosses the threshold
    expect(assess({ ...base, erbb2: level(1.25), cep17: level(1.2) }).assessment.status).toBe('indeterminate');
    // amplified in bulk, but no higher than chromosome 17 near its centromere (polysomy)
    expect(assess({ ...base, erbb2: level(1.6), cep17: level(1.1) }).assessment.status).toBe('indeterminate');
    // a focal gain below the threshold may be an amplification in few tumour cells
    expect(assess({ ...base, erbb2: level(0.7), cep17 }).assessment.status).toBe('indeterminate');
    expect(assess({ ...base, erbb2: level(0.7), cep17 }).tumor).toBeNull();
  });

  it('makes no call when QC failed', () => {
    expect(assess({ ...base, qcPassed: false, erbb2: level(2), cep17, purity: 0.5 })).toEqual({
      assessment: { status: 'no_call', basis: 'tumor_cells', reasons: ['the sample failed quality control: ERBB2 could not be assessed'], action: 'no NGS result: test ERBB2 by FISH' },
      tumor: null,
    });
  });
});
