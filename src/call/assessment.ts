// The assessment a pathologist acts on. With the tumour's purity, the bulk
// log2 becomes ERBB2 copies per tumour cell and a ratio to a CEP17-like
// reference (chromosome 17 near its centromere), judged as ASCO/CAP 2018
// judges FISH: positive with >= 6 copies, or with >= 4 copies and a ratio
// >= 2 (groups 1 and 3). A status is given only when the whole interval,
// over the purity's own uncertainty, lies on one side; otherwise the answer
// is "indeterminate: reflex to FISH", with the copies this sample can detect.
// Without purity the bulk call stands unless the data contradict it.
import { ascoCapGroup } from '../clinical/asco-cap.js';
import type { Assessment, AssessmentStatus, TumorCells } from '../result/schema.js';
import type { Estimate } from '../stats/robust.js';
import { round, roundInterval } from '../stats/round.js';

/** A pathologist's purity estimate is taken as good to this fraction: truth within [p / 1.25, p / 0.75]. */
export const PURITY_TOLERANCE = 0.25;
/** ERBB2 copies per tumour cell that are positive whatever the ratio (ASCO/CAP group 3; FACETS and PureCN call AMP at 5-6). */
export const POSITIVE_COPIES = 6;
/** Copies that are positive with a ratio of at least RATIO_POSITIVE (group 1). */
export const RATIO_POSITIVE_COPIES = 4;
export const RATIO_POSITIVE = 2;
/** Without purity: ERBB2 at least this far (log2) above the CEP17-like reference, beyond its interval, is a focal gain worth FISH. */
export const FOCAL_GAIN_LOG2 = 0.3;
/** Smallest CEP17-like copies used as a ratio's denominator (a deep loss makes ratios meaningless beyond it). */
const MIN_CEP17_COPIES = 0.25;

export const ACTIONS: Record<AssessmentStatus, string> = {
  amplified: 'report ERBB2 amplified',
  not_amplified: 'report ERBB2 not amplified',
  indeterminate: 'reflex to FISH',
  no_call: 'no NGS result: test ERBB2 by FISH',
};

/** Tumour-cell copies from a bulk log2 ratio and purity p, diploid background: CN = (2R - 2(1 - p)) / p. */
export function tumourCopyNumber(log2: number, purity: number): number {
  const r = 2 ** log2;
  return Math.max(0, (2 * r - 2 * (1 - purity)) / purity);
}

/** The purities a given estimate stands for: [p / (1 + t), p / (1 - t)], at most 1. */
export function purityRange(purity: number, tolerance = PURITY_TOLERANCE): [number, number] {
  return [purity / (1 + tolerance), Math.min(1, purity / (1 - tolerance))];
}

/** Tumour-cell copies over a bulk interval and a purity range (copies are monotone in each, so the corners bound them). */
export function copiesInterval(ci: readonly [number, number], purities: readonly [number, number]): [number, number] {
  const corners = [ci[0], ci[1]].flatMap(l => purities.map(p => tumourCopyNumber(l, p)));
  return [Math.min(...corners), Math.max(...corners)];
}

/**
 * ERBB2/CEP17-like ratio interval. At each purity across the range (the same
 * purity for both, as in one tumour), the two copy intervals' half-widths are
 * combined in quadrature on the log scale (independent errors: the ratio's
 * own 95% interval, not the corners of two, which would be a far wider joint
 * box); the interval spans those at every purity.
 */
export function ratioInterval(erbb2: readonly [number, number], cep17: readonly [number, number], purities: readonly [number, number]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  const floor = (x: number) => Math.max(MIN_CEP17_COPIES, x);
  for (let k = 0; k <= 8; k++) {
    const p = purities[0] + ((purities[1] - purities[0]) * k) / 8;
    const [eLo, eHi] = copiesInterval(erbb2, [p, p]).map(floor);
    const [cLo, cHi] = copiesInterval(cep17, [p, p]).map(floor);
    // Point values at the interval's centre on the log2 scale.
    const e = floor(tumourCopyNumber((erbb2[0] + erbb2[1]) / 2, p));
    const c = floor(tumourCopyNumber((cep17[0] + cep17[1]) / 2, p));
    const centre = Math.log(e / c);
    lo = Math.min(lo, Math.exp(centre - Math.hypot(Math.log(e / eLo), Math.log(cHi / c))));
    hi = Math.max(hi, Math.exp(centre + Math.hypot(Math.log(eHi / e), Math.log(c / cLo))));
  }
  return [lo, hi];
}

/** Where a box of copies and ratio lies against the positive region {copies >= 6} or {ratio >= 2 and copies >= 4}. */
export function judgeBox(copies: readonly [number, number], ratio: readonly [number, number] | null): 'amplified' | 'not_amplified' | 'indeterminate' {
  const [cLo, cHi] = copies;
  if (cLo >= POSITIVE_COPIES || (ratio && ratio[0] >= RATIO_POSITIVE && cLo >= RATIO_POSITIVE_COPIES)) return 'amplified';
  if (cHi < RATIO_POSITIVE_COPIES || (ratio && ratio[1] < RATIO_POSITIVE && cHi < POSITIVE_COPIES)) return 'not_amplified';
  return 'indeterminate';
}

export interface PartialPart {
  /** The level of ERBB2's probes in segments at or above the threshold. */
  estimate: Estimate | undefined;
  first: string;
  last: string;
  probes: number;
  /** ERBB2's usable probes in all. */
  of: number;
}

export interface AssessmentInput {
  qcPassed: boolean;
  threshold: number;
  erbb2: Estimate | undefined;
  /** Chromosome 17 near its centromere (bulk log2), when the panel has probes there. */
  cep17: Estimate | undefined;
  cep17Probes: number;
  /** How the CEP17-like level was taken, when a reader must know (an arm-level change, none on the panel). */
  cep17Note?: string | null;
  partial: PartialPart | undefined;
  purity?: number;
  purityTolerance?: number;
}

export interface AssessmentResult {
  assessment: Assessment;
  tumor: TumorCells | null;
}

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

export function assess(input: AssessmentInput): AssessmentResult {
  const { erbb2 } = input;
  if (!input.qcPassed || !erbb2) {
    return {
      assessment: { status: 'no_call', basis: input.purity === undefined ? 'bulk' : 'tumor_cells', reasons: ['the sample failed quality control: ERBB2 could not be assessed'], action: ACTIONS.no_call },
      tumor: null,
    };
  }
  const result = input.purity === undefined ? assessBulk(input, erbb2) : assessTumourCells(input, erbb2, input.purity);
  if (input.cep17Note) result.assessment.reasons.push(input.cep17Note);
  return result;
}

function assessBulk(input: AssessmentInput, erbb2: Estimate): AssessmentResult {
  const { threshold, cep17, partial } = input;
  const reasons: string[] = [];
  const amplified = erbb2.value >= threshold;
  const [lo, hi] = erbb2.ci95;
  if (lo < threshold && hi >= threshold) {
    reasons.push(`ERBB2 log2 ${f2(erbb2.value)} has a 95% interval (${f2(lo)} to ${f2(hi)}) that crosses the ${threshold} threshold`);
  }
  if (partial && !(amplified && lo >= threshold)) {
    reasons.push(`partial amplicon: ERBB2 probes ${partial.first} to ${partial.last} (${partial.probes} of ${partial.of}) lie in a segment at or above the threshold, the rest below`);
  }
  if (cep17) {
    const diff = erbb2.value - cep17.value;
    const half = Math.hypot(erbb2.value - lo, cep17.value - cep17.ci95[0]);
    if (amplified && diff < 1) {
      reasons.push(`ERBB2 is only ${f2(diff)} log2 above chromosome 17 near its centromere (${f2(cep17.value)}): the gain may be of the whole chromosome rather than an amplification`);
    } else if (!amplified && diff >= FOCAL_GAIN_LOG2 && diff - half > 0) {
      reasons.push(
        `ERBB2 is ${f2(diff)} log2 above chromosome 17 near its centromere (${f2(cep17.value)}), a focal gain that at unknown purity may be an amplification in few tumour cells; give the purity, or test by FISH`,
      );
    }
  }
  const status: AssessmentStatus = reasons.length > 0 ? 'indeterminate' : amplified ? 'amplified' : 'not_amplified';
  if (status !== 'indeterminate') {
    reasons.push(`bulk ERBB2 log2 ${f2(erbb2.value)} (95% interval ${f2(lo)} to ${f2(hi)}) is ${amplified ? 'at or above' : 'below'} the ${threshold} threshold; no purity given, so tumour-cell copies were not estimated`);
  }
  return { assessment: { status, basis: 'bulk', reasons, action: ACTIONS[status] }, tumor: null };
}

interface TumourNumbers {
  copies: [number, number];
  ratio: [number, number] | null;
}

function tumourNumbers(level: Estimate, cep17: Estimate | undefined, purities: [number, number]): TumourNumbers {
  return {
    copies: copiesInterval(level.ci95, purities),
    ratio: cep17 ? ratioInterval(level.ci95, cep17.ci95, purities) : null,
  };
}

/**
 * The fewest ERBB2 copies per tumour cell this sample would assess as
 * amplified: a tumour with c copies at the given purity, measured with this
 * sample's interval widths and CEP17-like level; null if none up to 60.
 */
export function detectionLimit(erbb2: Estimate, cep17: Estimate | undefined, purity: number, purities: [number, number]): number | null {
  const below = erbb2.value - erbb2.ci95[0];
  const above = erbb2.ci95[1] - erbb2.value;
  for (let c = 2; c <= 60; c = round(c + 0.1, 1)) {
    const l = Math.log2((purity * c + 2 * (1 - purity)) / 2);
    const n = tumourNumbers({ value: l, ci95: [l - below, l + above] }, cep17, purities);
    if (judgeBox(n.copies, n.ratio) === 'amplified') return c;
  }
  return null;
}

function assessTumourCells(input: AssessmentInput, erbb2: Estimate, purity: number): AssessmentResult {
  const { cep17, partial } = input;
  const purities = purityRange(purity, input.purityTolerance);
  const whole = tumourNumbers(erbb2, cep17, purities);
  const copies = tumourCopyNumber(erbb2.value, purity);
  const cep17Copies = cep17 ? tumourCopyNumber(cep17.value, purity) : null;
  const ratio = cep17Copies !== null ? copies / Math.max(MIN_CEP17_COPIES, cep17Copies) : null;
  const limit = detectionLimit(erbb2, cep17, purity, purities);
  const where = `at purity ${f2(purity)} (taken as ${f2(purities[0])} to ${f2(purities[1])})`;
  const numbers = `ERBB2 ${f1(whole.copies[0])} to ${f1(whole.copies[1])} copies per tumour cell` + (whole.ratio ? `, ratio to CEP17-like ${f1(whole.ratio[0])} to ${f1(whole.ratio[1])}` : ', no CEP17-like reference on this panel');
  const reasons: string[] = [];
  let status = judgeBox(whole.copies, whole.ratio);
  if (status === 'amplified') reasons.push(`${where}, ${numbers}: amplified (>= ${POSITIVE_COPIES} copies, or >= ${RATIO_POSITIVE_COPIES} with a ratio >= ${RATIO_POSITIVE})`);
  else if (status === 'not_amplified') reasons.push(`${where}, ${numbers}: amplification excluded`);
  else {
    reasons.push(
      `${where}, ${numbers}: amplification can neither be confirmed nor excluded` +
        (limit === null ? '; this sample cannot detect an amplification at this purity' : `; fewer than ${f1(limit)} copies per tumour cell cannot be told from no amplification`),
    );
  }
  if (partial) {
    const part = partial.estimate ? tumourNumbers(partial.estimate, cep17, purities) : null;
    const partStatus = part ? judgeBox(part.copies, part.ratio) : 'indeterminate';
    const what = `partial amplicon: ERBB2 probes ${partial.first} to ${partial.last} (${partial.probes} of ${partial.of})` + (part ? ` at ${f1(part.copies[0])} to ${f1(part.copies[1])} copies per tumour cell` : '');
    if (partStatus === 'amplified') {
      reasons.push(`${what}: amplified in that part (the HER2 FISH probe spans the whole gene)`);
      status = 'amplified';
    } else if (status !== 'amplified') {
      reasons.push(`${what}: the amplified part cannot be judged from its probes; FISH decides`);
      status = 'indeterminate';
    }
  }
  const tumor: TumorCells = {
    purity,
    purity_range: roundInterval(purities),
    erbb2_copies: round(copies),
    erbb2_copies_ci95: roundInterval(whole.copies),
    cep17_copies: cep17Copies === null ? null : round(cep17Copies),
    cep17_copies_ci95: cep17 ? roundInterval(copiesInterval(cep17.ci95, purities)) : null,
    cep17_probes: input.cep17Probes,
    ratio: ratio === null ? null : round(ratio),
    ratio_ci95: whole.ratio ? roundInterval(whole.ratio) : null,
    group: ratio === null ? null : ascoCapGroup(copies, ratio),
    detection_limit_copies: limit,
  };
  return { assessment: { status, basis: 'tumor_cells', reasons, action: ACTIONS[status] }, tumor };
}
