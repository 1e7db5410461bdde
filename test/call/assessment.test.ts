// The tumour-cell assessment on levels worked out by hand from the mixture
// model (bulk ratio R = (p * CN + 2 (1 - p)) / 2), independently of the code.
import { describe, expect, it } from 'vitest';
import { assess, judgeProbability, purityRange } from '../../src/call/assessment.js';
import { amplificationProbability, copiesInterval, ratioInterval } from '../../src/call/copies.js';

/** The bulk log2 a tumour with `copies` per tumour cell gives at purity p. */
const bulkLog2 = (copies: number, p: number) => Math.log2((p * copies + 2 * (1 - p)) / 2);
const level = (value: number, half = 0.1) => ({ value, ci95: [value - half, value + half] as [number, number] });
const base = { qcPassed: true, threshold: 1.3, cep17Probes: 12, partial: undefined };

/** A small seeded generator (mulberry32) and Box-Muller normals, for Monte Carlo checks independent of the code. */
function normals(seed: number) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { uniform, normal: () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()) };
}

/** Copies per tumour cell from a bulk log2, by the mixture model's formula. */
const copiesOf = (l: number, p: number) => Math.max(0, (2 * 2 ** l - 2 * (1 - p)) / p);

/** Monte Carlo at one purity: each level normal with its interval as mean +- 1.96 sd, the two independent. */
function simulate(erbb2: { value: number; ci95: [number, number] }, cep17: { value: number; ci95: [number, number] }, p: number, n = 60_000) {
  const rng = normals(12345);
  const sd = (x: { ci95: [number, number] }) => (x.ci95[1] - x.ci95[0]) / (2 * 1.959964);
  const ratios: number[] = [];
  let positive = 0;
  for (let i = 0; i < n; i++) {
    const e = copiesOf(erbb2.value + sd(erbb2) * rng.normal(), p);
    const c = Math.max(0.25, copiesOf(cep17.value + sd(cep17) * rng.normal(), p));
    ratios.push(e / c);
    if (e >= 6 || (e >= 4 && e / c >= 2)) positive += 1;
  }
  ratios.sort((a, b) => a - b);
  return { ratio: [ratios[Math.floor(0.025 * n)], ratios[Math.floor(0.975 * n)]], probability: positive / n };
}

describe('tumour-cell copies and intervals', () => {
  it('takes a purity estimate as good to a factor 0.75-1.25', () => {
    expect(purityRange(0.5)).toEqual([0.4, 0.5 / 0.75]);
    expect(purityRange(0.9)[1]).toBe(1);
  });

  it('bounds copies by the log2 interval at the purity range\'s two ends', () => {
    // log2 1.0 to 1.2 at purity 0.4 to 0.6: CN = (2R - 2(1 - p)) / p at each corner.
    const [lo, hi] = copiesInterval({ value: 1.1, ci95: [1, 1.2] }, [0.4, 0.6]);
    expect(lo).toBeCloseTo((2 * 2 - 2 * 0.4) / 0.6, 9); // lowest log2, highest purity
    expect(hi).toBeCloseTo((2 * 2 ** 1.2 - 2 * 0.6) / 0.4, 9); // highest log2, lowest purity
  });

  it('integrates the two levels as a simulation does, at one purity and across the range', () => {
    // A monosomy-17 tumour with a gain (group 2 truth: 3 copies, ratio 3) at purity 0.44, measured as FFPE gives.
    const l = bulkLog2(3, 0.44);
    const erbb2 = { value: l, ci95: [l - 0.16, l + 0.16] as [number, number] };
    const cep17 = { value: bulkLog2(1, 0.44), ci95: [bulkLog2(1, 0.44) - 0.1, bulkLog2(1, 0.44) + 0.1] as [number, number] };
    const rule = { positiveCopies: 6, ratioCopies: 4, ratio: 2 };
    for (const p of [0.44, 0.352]) {
      const mc = simulate(erbb2, cep17, p);
      const ratio = ratioInterval(erbb2, cep17, [p, p]);
      const [low, high] = amplificationProbability(erbb2, cep17, [p, p], rule);
      expect(Math.abs(Math.log(ratio[0] / mc.ratio[0]))).toBeLessThan(0.03);
      expect(Math.abs(Math.log(ratio[1] / mc.ratio[1]))).toBeLessThan(0.03);
      expect(low).toBe(high);
      expect(Math.abs(low - mc.probability)).toBeLessThan(0.003);
    }
    // Across the range the bounds are the two ends' (the probability falls as the purity rises for a gain).
    const purities = purityRange(0.44);
    const [low, high] = amplificationProbability(erbb2, cep17, purities, rule);
    expect(low).toBeCloseTo(simulate(erbb2, cep17, purities[1]).probability, 2);
    expect(high).toBeCloseTo(simulate(erbb2, cep17, purities[0]).probability, 2);
  });

  it('does not let the corner of a box of two intervals decide', () => {
    // A diploid tumour at purity 0.17 (group 5), ERBB2 measured 0.09 high: at the lowest purity its upper
    // bound reads 4 copies, and with the CEP17-like level's lower bound a ratio >= 2; both at once are rare.
    const erbb2 = { value: 0.09, ci95: [-0.01, 0.19] as [number, number] };
    const cep17 = { value: 0, ci95: [-0.1, 0.1] as [number, number] };
    const purities = purityRange(0.17);
    expect(copiesOf(0.19, purities[0])).toBeGreaterThan(4);
    expect(copiesOf(0.19, purities[0]) / copiesOf(-0.1, purities[0])).toBeGreaterThan(2);
    const [, high] = amplificationProbability(erbb2, cep17, purities, { positiveCopies: 6, ratioCopies: 4, ratio: 2 });
    expect(high).toBeLessThan(0.025);
    expect(assess({ ...base, erbb2, cep17, purity: 0.17 }).assessment.status).toBe('not_amplified');
  });

  it('keeps a polysomy ratio near 1 whatever the purity', () => {
    const l = bulkLog2(5, 0.6);
    const r = ratioInterval(level(l, 0.05), level(l, 0.05), purityRange(0.6));
    expect(r[0]).toBeGreaterThan(0.8);
    expect(r[1]).toBeLessThan(1.25);
  });

  it('without a CEP17-like reference bounds the probability by the ratio never or always >= 2', () => {
    const erbb2 = level(bulkLog2(5, 0.8), 0.02);
    const [low, high] = amplificationProbability(erbb2, undefined, [0.8, 0.8], { positiveCopies: 6, ratioCopies: 4, ratio: 2 });
    expect(low).toBeLessThan(0.001); // 5 copies, far from 6
    expect(high).toBeGreaterThan(0.999); // far above 4
  });

  it('judges at 97.5% either way', () => {
    expect(judgeProbability([0.98, 0.98])).toBe('amplified');
    expect(judgeProbability([0.02, 0.02])).toBe('not_amplified');
    expect(judgeProbability([0.5, 0.5])).toBe('indeterminate');
    expect(judgeProbability([0.01, 0.99])).toBe('indeterminate');
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

  it('names the purities that would decide a 5-copy polysomy its purity range leaves open', () => {
    // Chromosome 17 (ERBB2 with it) at log2 0.88 (0.84 to 0.92) at a given purity of 0.55 (0.44 to 0.73):
    // 5 copies at 0.55, 6 at 0.42. The ratio stays near 1, so only >= 6 copies is positive, and at a
    // purity p that needs the bulk log2 to reach log2(2p + 1): excluded when the upper bound 0.92 lies
    // below it, p >= (2^0.92 - 1) / 2 = 0.446, confirmed when the lower bound 0.84 lies above it,
    // p <= (2^0.84 - 1) / 2 = 0.395.
    const chr17 = { value: 0.88, ci95: [0.84, 0.92] as [number, number] };
    const a = assess({ ...base, erbb2: chr17, cep17: chr17, purity: 0.55 });
    expect(a.assessment.status).toBe('indeterminate');
    expect(a.tumor!.deciding_purity).toEqual({ not_amplified_from: 0.45, amplified_up_to: 0.39 });
    expect(a.assessment.reasons[0]).toMatch(/with the purity known exactly, at least 0\.45 would assess it not amplified and at most 0\.39 amplified/);
    // Told the purity to within 5%, at 0.55 it is not amplified; at 0.35, amplified.
    expect(assess({ ...base, erbb2: chr17, cep17: chr17, purity: 0.55, purityTolerance: 0.05 }).assessment.status).toBe('not_amplified');
    expect(assess({ ...base, erbb2: chr17, cep17: chr17, purity: 0.35, purityTolerance: 0.05 }).assessment.status).toBe('amplified');
    // A decided tumour names none; nor one left open by a partial gain in its own segment (not a purity question).
    expect(assess({ ...base, erbb2: level(bulkLog2(12, 0.5), 0.05), cep17: level(0, 0.05), purity: 0.5 }).tumor!.deciding_purity).toBeNull();
    const gain = { estimate: chr17, rest: level(0, 0.05), first: 'ERBB2_ex20_p1', last: 'ERBB2_ex27_p6', probes: 12, of: 53 };
    const withGain = assess({ ...base, erbb2: chr17, cep17: chr17, purity: 0.55, partialGain: gain });
    expect(withGain.assessment.status).toBe('indeterminate');
    expect(withGain.tumor!.deciding_purity).toBeNull();
    // Nor one no purity would decide: a level whose interval reaches below 0 is never amplified, and one reaching
    // log2 1.1 (4.3 copies at purity 1) against a CEP17-like reference this wide is never excluded.
    const undecidable = assess({ ...base, erbb2: { value: 0.5, ci95: [-0.1, 1.1] }, cep17: level(0, 0.6), purity: 0.5 });
    expect(undecidable.assessment.status).toBe('indeterminate');
    expect(undecidable.tumor!.deciding_purity).toBeNull();
    expect(undecidable.assessment.reasons[0]).not.toMatch(/purity known exactly/);
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
    // the gene level's numbers are named as such, so they do not read as contradicting the answer
    expect(a.assessment.reasons[0]).toMatch(/ERBB2's gene level \(most of its probes\) [\d.]+ to [\d.]+ copies per tumour cell.*: amplification at the gene level excluded$/);
    expect(assess({ ...base, erbb2: whole, cep17, purity: 0.6 }).assessment.reasons[0]).toMatch(/, ERBB2 [\d.]+ to [\d.]+ copies per tumour cell.*: amplification excluded$/);
    const weak = assess({ ...base, erbb2: whole, cep17, purity: 0.6, partial: { ...partial, estimate: level(bulkLog2(5, 0.6), 0.3) } });
    expect(weak.assessment.status).toBe('indeterminate');
    const noPurity = assess({ ...base, erbb2: whole, cep17, partial });
    expect(noPurity.assessment.status).toBe('indeterminate');
  });

  it('judges a smaller step inside ERBB2 (a partial gain) on the copies its higher part means', () => {
    // Exons 8-16 (13 of 53 probes) at 8 copies in 28% tumour cells read +0.88: less than a
    // two-fold step above the rest of the gene (2 copies, 0.0), and below the threshold.
    const gain = { estimate: level(bulkLog2(8, 0.28), 0.12), rest: level(0, 0.08), first: 'ERBB2_ex8_p1', last: 'ERBB2_ex16_p1', probes: 13, of: 53 };
    expect(gain.estimate.value).toBeLessThan(1);
    const whole = level(0.02, 0.08);
    const withPurity = assess({ ...base, erbb2: whole, cep17, purity: 0.28, partialGain: gain });
    expect(withPurity.assessment.status).toBe('amplified');
    expect(withPurity.assessment.reasons.join(' ')).toMatch(/partial gain: ERBB2 probes ERBB2_ex8_p1 to ERBB2_ex16_p1 \(13 of 53\).*amplified in that part/);
    // Without the gain, the whole gene alone excludes amplification: the gain is what a negative would have hidden.
    expect(assess({ ...base, erbb2: whole, cep17, purity: 0.28 }).assessment.status).toBe('not_amplified');
    // The same step at purity 0.9 means 2.8 copies: amplification excluded, the answer unchanged.
    const high = { ...gain, estimate: level(bulkLog2(2.8, 0.9), 0.05) };
    expect(assess({ ...base, erbb2: whole, cep17, purity: 0.9, partialGain: high }).assessment.status).toBe('not_amplified');
    // Without purity it cannot be judged: indeterminate, saying why.
    const bulk = assess({ ...base, erbb2: whole, cep17, partialGain: gain }).assessment;
    expect(bulk.status).toBe('indeterminate');
    expect(bulk.reasons.join(' ')).toMatch(/lie in a segment 0\.88 log2 above the rest of the gene/);
    // A step within the two parts' intervals is not a finding.
    expect(assess({ ...base, erbb2: whole, cep17, partialGain: { ...gain, estimate: level(0.35, 0.3), rest: level(0, 0.2) } }).assessment.status).toBe('not_amplified');
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
    // A noisy CEP17-like reference (8 FFPE probes) hides a focal gain that the rest of chromosome 17 shows
    // (a 17q12 amplicon of 7 copies at purity 0.2 reads +0.62 in bulk).
    const noisy = { value: 0.19, ci95: [-0.38, 0.76] as [number, number] };
    const flagged = assess({ ...base, erbb2: level(0.62, 0.2), cep17: noisy, chr17: level(0.14, 0.18) }).assessment;
    expect(flagged.status).toBe('indeterminate');
    expect(flagged.reasons.join(' ')).toMatch(/0\.48 log2 above the rest of chromosome 17/);
    // Without the rest of chromosome 17 it is still a gain, flagged as one.
    const gained = assess({ ...base, erbb2: level(0.62, 0.2), cep17: noisy }).assessment;
    expect(gained.status).toBe('indeterminate');
    expect(gained.reasons.join(' ')).toMatch(/^ERBB2 is gained \(log2 0\.62, 95% interval 0\.42 to 0\.82, chromosome 17 near its centromere 0\.19\)/);
  });

  it('without purity, flags a gain of ERBB2 with chromosome 17 that may be 6 copies in few tumour cells', () => {
    // Polysomy 17 at 6 copies (ASCO/CAP group 3, FISH positive) in 56% tumour cells: ERBB2 and the
    // CEP17-like reference both read log2((0.56 x 6 + 0.44 x 2) / 2) = 1.084, below the threshold.
    const polysomy = assess({ ...base, erbb2: level(1.084, 0.08), cep17: level(1.084, 0.15), chr17: level(1.084, 0.05) }).assessment;
    expect(polysomy.status).toBe('indeterminate');
    expect(polysomy.action).toBe('reflex to FISH');
    expect(polysomy.reasons).toHaveLength(1);
    expect(polysomy.reasons[0]).toMatch(/ERBB2 is gained .*may hold 6 or more copies \(ASCO\/CAP group 3; 6 copies in 12% tumour cells read \+0\.30\)/);
    // A gain whose whole interval lies below 0.3, or whose interval reaches the baseline, is no finding.
    expect(assess({ ...base, erbb2: level(0.2, 0.05), cep17: level(0.2, 0.1) }).assessment.status).toBe('not_amplified');
    expect(assess({ ...base, erbb2: level(0.35, 0.4), cep17: level(0.35, 0.4) }).assessment.status).toBe('not_amplified');
    // The interval decides, not the estimate: 0.25 with an upper bound of 0.30 may be 6 copies in 12%.
    const gained = assess({ ...base, erbb2: { value: 0.25, ci95: [0.2, 0.3] }, cep17: level(0.25, 0.1) }).assessment;
    expect(gained.status).toBe('indeterminate');
    expect(gained.reasons[0]).toMatch(/^ERBB2 is gained \(log2 0\.25, 95% interval 0\.20 to 0\.30/);
    // The bounds: an upper bound of 0.30 itself is a gain that may reach it; a lower bound of exactly 0 is not clear of the baseline.
    expect(assess({ ...base, erbb2: { value: 0.2, ci95: [0.1, 0.3] }, cep17: level(0.2, 0.1) }).assessment.status).toBe('indeterminate');
    expect(assess({ ...base, erbb2: { value: 0.2, ci95: [0.1, 0.2999] }, cep17: level(0.2, 0.1) }).assessment.status).toBe('not_amplified');
    expect(assess({ ...base, erbb2: level(0.3, 0.3), cep17: level(0.3, 0.3) }).assessment.status).toBe('not_amplified');
    // 6 copies in 11% tumour cells read log2((0.11 x 6 + 0.89 x 2) / 2) = 0.287: under 0.30, flagged when the interval reaches it.
    const sixIn11 = Math.log2((0.11 * 6 + 0.89 * 2) / 2);
    expect(sixIn11).toBeCloseTo(0.287, 3);
    expect(assess({ ...base, erbb2: level(sixIn11, 0.05), cep17: level(sixIn11, 0.1) }).assessment.status).toBe('indeterminate');
    // The rule's limit: 6 copies in 8% tumour cells (0.214) measured to within 0.05 stay under the bar.
    const sixIn8 = Math.log2((0.08 * 6 + 0.92 * 2) / 2);
    expect(sixIn8).toBeCloseTo(0.214, 3);
    expect(assess({ ...base, erbb2: level(sixIn8, 0.05), cep17: level(sixIn8, 0.1) }).assessment.status).toBe('not_amplified');
    // A 4-copy polysomy (FISH negative, as T06) in 60% tumour cells reads log2(1.6) = 0.678: indeterminate without purity;
    // with its purity it is judged on its copies (4.5 at the lowest purity of the range), and the bulk rule says nothing.
    const fourCopies = { ...base, erbb2: level(Math.log2(1.6), 0.08), cep17: level(Math.log2(1.6), 0.15) };
    expect(assess(fourCopies).assessment.status).toBe('indeterminate');
    const withPurity = assess({ ...fourCopies, purity: 0.6 }).assessment;
    expect(withPurity).toMatchObject({ status: 'not_amplified', basis: 'tumor_cells' });
    expect(withPurity.reasons.join(' ')).not.toMatch(/ERBB2 is gained/);
    // With an interval across the threshold too, both reasons are given.
    const both = assess({ ...base, erbb2: level(1.25), cep17: level(1.2) }).assessment;
    expect(both.reasons).toHaveLength(2);
    expect(both.reasons[0]).toMatch(/crosses the 1\.3 threshold/);
    expect(both.reasons[1]).toMatch(/^ERBB2 is gained/);
  });

  it('makes no call when QC failed', () => {
    expect(assess({ ...base, qcPassed: false, erbb2: level(2), cep17, purity: 0.5 })).toEqual({
      assessment: { status: 'no_call', basis: 'tumor_cells', reasons: ['the sample failed quality control: ERBB2 could not be assessed'], action: 'no NGS result: test ERBB2 by FISH' },
      tumor: null,
    });
  });
});
