// The assessment a pathologist acts on. With the tumour's purity, the bulk
// log2 becomes ERBB2 copies per tumour cell and a ratio to a CEP17-like
// reference (chromosome 17 near its centromere), judged as ASCO/CAP 2018
// judges FISH: positive with >= 6 copies, or with >= 4 copies and a ratio
// >= 2 (groups 1 and 3). A status is given only when the levels' intervals
// and the purity's own uncertainty put at least 97.5% of the probability on
// one side (copies.ts); otherwise the answer is "indeterminate: reflex to
// FISH", with the copies this sample can detect.
// Without purity the bulk call stands unless the data contradict it.
import { ascoCapGroup } from '../clinical/asco-cap.js';
import type { Assessment, AssessmentStatus, TumorCells } from '../result/schema.js';
import type { Estimate } from '../stats/robust.js';
import { percentText, round, roundInterval } from '../stats/round.js';
import { type AmplificationRule, amplificationProbability, bulkLog2, copiesInterval, MIN_CEP17_COPIES, PURITY_TOLERANCE, purityRange, ratioInterval, tumourCopyNumber } from './copies.js';

export { PURITY_TOLERANCE, purityRange, tumourCopyNumber } from './copies.js';

/** ERBB2 copies per tumour cell that are positive whatever the ratio (ASCO/CAP group 3; FACETS and PureCN call AMP at 5-6). */
export const POSITIVE_COPIES = 6;
/** Copies that are positive with a ratio of at least RATIO_POSITIVE (group 1). */
export const RATIO_POSITIVE_COPIES = 4;
export const RATIO_POSITIVE = 2;
/**
 * Without purity: ERBB2 at least this far (log2) above the CEP17-like reference or the rest of chromosome 17, beyond the intervals, is a focal gain worth FISH;
 * at least this far above the sample's baseline, beyond its interval, a gain (with chromosome 17, or of a larger region) that may be 6 copies in few tumour cells.
 */
export const FOCAL_GAIN_LOG2 = 0.3;
/** The purity at which 6 copies per tumour cell read FOCAL_GAIN_LOG2 in bulk (about 12%). */
const GAIN_PURITY = (2 * (2 ** FOCAL_GAIN_LOG2 - 1)) / (POSITIVE_COPIES - 2);

export const ACTIONS: Record<AssessmentStatus, string> = {
  amplified: 'report ERBB2 amplified',
  not_amplified: 'report ERBB2 not amplified',
  indeterminate: 'reflex to FISH',
  no_call: 'no NGS result: test ERBB2 by FISH',
};

/** Probability of the positive region at or above which the tumour is assessed amplified, and at or below which not amplified (one-sided 97.5%, as a 95% interval's bound). */
export const CONFIDENT = 0.975;

const RULE: AmplificationRule = { positiveCopies: POSITIVE_COPIES, ratioCopies: RATIO_POSITIVE_COPIES, ratio: RATIO_POSITIVE };

/** Where the tumour cells lie against the positive region {copies >= 6} or {ratio >= 2 and copies >= 4}, from its probability bounds. */
export function judgeProbability(probability: readonly [number, number]): 'amplified' | 'not_amplified' | 'indeterminate' {
  if (probability[0] >= CONFIDENT) return 'amplified';
  if (probability[1] <= 1 - CONFIDENT) return 'not_amplified';
  return 'indeterminate';
}

/** Whether a reason is about part of ERBB2 in a segment of its own (a partial amplicon or gain), judged apart from the gene level. */
export function isPartReason(reason: string): boolean {
  return reason.startsWith('partial amplicon:') || reason.startsWith('partial gain:');
}

export interface PartialPart {
  /** The level of ERBB2's probes in segments at or above the threshold (of a partial gain: in the higher segments). */
  estimate: Estimate | undefined;
  /** The level of ERBB2's other probes. */
  rest?: Estimate;
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
  /** Chromosome 17 outside the amplicon window (bulk log2): a second, better-sampled reference for a focal gain without purity. */
  chr17?: Estimate;
  /** How the CEP17-like level was taken, when a reader must know (an arm-level change, none on the panel). */
  cep17Note?: string | null;
  partial: PartialPart | undefined;
  /**
   * Without a partial amplicon: part of ERBB2 in segments at least
   * FOCAL_GAIN_LOG2 above its other probes (a smaller step, below the
   * threshold), which at low purity may be the tumour cells' amplicon.
   */
  partialGain?: PartialPart;
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
    if (amplified && diff < 1) {
      reasons.push(`ERBB2 is only ${f2(diff)} log2 above chromosome 17 near its centromere (${f2(cep17.value)}): the gain may be of the whole chromosome rather than an amplification`);
    }
  }
  const gain = input.partialGain;
  if (!amplified && !partial && gain?.estimate && gain.rest) {
    const step = gain.estimate.value - gain.rest.value;
    if (step > Math.hypot(gain.estimate.value - gain.estimate.ci95[0], gain.rest.ci95[1] - gain.rest.value)) {
      reasons.push(
        `${partialGainWhat(gain, `${f2(step)} log2 above`)} (${f2(gain.rest.value)}): at unknown purity it may be an amplification in few tumour cells; give the purity, or test by FISH`,
      );
    }
  }
  if (!amplified) {
    // Against the CEP17-like reference, or the rest of chromosome 17 (more probes, so a tighter interval), whichever shows it.
    const focal = [
      { ref: cep17, what: 'chromosome 17 near its centromere' },
      { ref: input.chr17, what: 'the rest of chromosome 17' },
    ].find(({ ref }) => ref && erbb2.value - ref.value >= FOCAL_GAIN_LOG2 && erbb2.value - ref.value > Math.hypot(erbb2.value - lo, ref.ci95[1] - ref.value));
    if (focal?.ref) {
      // The other reference, when it does not show the gain, is said too: then it is only possibly focal (a noisy reference, or a polysomy).
      const other = focal.ref === cep17 ? { ref: input.chr17, what: 'the rest of chromosome 17' } : { ref: cep17, what: 'chromosome 17 near its centromere' };
      const step = other.ref ? erbb2.value - other.ref.value : null;
      const unlike = other.ref && step! < FOCAL_GAIN_LOG2 ? ` but ${step! <= -FOCAL_GAIN_LOG2 ? 'below' : `within ${FOCAL_GAIN_LOG2} log2 of`} ${other.what} (${f2(other.ref.value)})` : '';
      // ERBB2 level with a gained rest of chromosome 17 is what a polysomy looks like, whatever the few probes near the centromere read.
      const withChromosome = other.ref === input.chr17 && other.ref !== undefined && Math.abs(step!) < FOCAL_GAIN_LOG2 && other.ref.value >= FOCAL_GAIN_LOG2;
      reasons.push(
        withChromosome
          ? `ERBB2 (log2 ${f2(erbb2.value)}) is level with the rest of chromosome 17 (${f2(other.ref!.value)}), as in a gain of the whole chromosome (polysomy 17), though ${f2(erbb2.value - focal.ref.value)} above ${focal.what} (${f2(focal.ref.value)}); at unknown purity the tumour cells may hold 6 or more copies (ASCO/CAP group 3); give the purity, or test by FISH`
          : `ERBB2 is ${f2(erbb2.value - focal.ref.value)} log2 above ${focal.what} (${f2(focal.ref.value)})${unlike}, ${unlike ? 'possibly ' : ''}a focal gain that at unknown purity may be an amplification in few tumour cells; give the purity, or test by FISH`,
      );
    } else if (lo > 0 && hi >= FOCAL_GAIN_LOG2) {
      // Otherwise (a gain with chromosome 17, of a larger region, or a focal one a noisy reference hides):
      // ASCO/CAP group 3 is positive on copies alone, and at unknown purity a gain may reach 6. The
      // interval, not the estimate, decides: a gain beyond doubt that may be as large as what 6 copies
      // in GAIN_PURITY of the cells give cannot be called negative, wherever noise put the estimate.
      const withCep17 = cep17 ? `, chromosome 17 near its centromere ${f2(cep17.value)}` : '';
      reasons.push(
        `ERBB2 is gained (log2 ${f2(erbb2.value)}, 95% interval ${f2(lo)} to ${f2(hi)}${withCep17}): at unknown purity the tumour cells may hold 6 or more copies (ASCO/CAP group 3; 6 copies in ${Math.round(100 * GAIN_PURITY)}% tumour cells read +${FOCAL_GAIN_LOG2.toFixed(2)}); give the purity, or test by FISH`,
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
  /** The probability of the positive region, lowest and highest over the purity range (and the unknown ratio without a reference). */
  probability: [number, number];
}

function tumourNumbers(level: Estimate, cep17: Estimate | undefined, purities: [number, number]): TumourNumbers {
  return {
    copies: copiesInterval(level, purities),
    ratio: cep17 ? ratioInterval(level, cep17, purities) : null,
    probability: amplificationProbability(level, cep17, purities, RULE),
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
  const amplifiedAt = (c: number) => {
    const l = bulkLog2(c, purity);
    return judgeProbability(amplificationProbability({ value: l, ci95: [l - below, l + above] }, cep17, purities, RULE)) === 'amplified';
  };
  if (!amplifiedAt(60)) return null;
  // The probability rises with the copies: bisect in steps of 0.1 copies.
  let lo = 20; // 2.0 copies, in tenths
  let hi = 600;
  if (amplifiedAt(lo / 10)) return lo / 10;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (amplifiedAt(mid / 10)) hi = mid;
    else lo = mid;
  }
  return hi / 10;
}

/** Where the purity alone decides an indeterminate tumour (see decidingPurity): the result's own shape. */
export type DecidingPurity = NonNullable<TumorCells['deciding_purity']>;

/**
 * The purities, known exactly (the levels' intervals the only doubt), that
 * would decide a tumour the given purity's range leaves indeterminate: from
 * which purity up it is not amplified, up to which it is amplified, on a
 * grid of 0.01; null where no purity in 0.01-1 does. The copies a bulk gain
 * means fall as the purity rises, so a purity estimate better than the
 * tolerance (--purity-tolerance), e.g. from a second review of the tumour
 * content, can settle what FISH otherwise would.
 */
export function decidingPurity(erbb2: Estimate, cep17: Estimate | undefined): DecidingPurity {
  const grid = Array.from({ length: 100 }, (_, k) => (k + 1) / 100);
  const judged = grid.map(p => judgeProbability(amplificationProbability(erbb2, cep17, [p, p], RULE)));
  let from: number | null = null;
  for (let k = grid.length - 1; k >= 0 && judged[k] === 'not_amplified'; k--) from = grid[k];
  let upTo: number | null = null;
  for (let k = 0; k < grid.length && judged[k] === 'amplified'; k++) upTo = grid[k];
  return { not_amplified_from: from, amplified_up_to: upTo };
}

/** The deciding purities in words (empty when none decides). */
function decidingText(d: DecidingPurity): string {
  const parts = [
    d.not_amplified_from === null ? null : `at least ${f2(d.not_amplified_from)} would assess it not amplified`,
    d.amplified_up_to === null ? null : `at most ${f2(d.amplified_up_to)} amplified`,
  ].filter(x => x !== null);
  return parts.length ? `; with the purity known exactly, ${parts.join(' and ')}` : '';
}

/** A partial gain's part, in words, with how far above the rest of the gene it lies. */
function partialGainWhat(gain: PartialPart, above: string): string {
  return `partial gain: ERBB2 probes ${gain.first} to ${gain.last} (${gain.probes} of ${gain.of}) lie in a segment ${above} the rest of the gene`;
}

/** The probability of amplification over the purity range (and, without a reference, the unknown ratio). */
function probabilityRange([low, high]: readonly [number, number], ratioKnown: boolean): string {
  if (percentText(low) === percentText(high)) return percentText(low);
  return `${percentText(low)} to ${percentText(high)} over the purity range${ratioKnown ? '' : ' and the unknown ratio'}`;
}

function assessTumourCells(input: AssessmentInput, erbb2: Estimate, purity: number): AssessmentResult {
  const { cep17, partial } = input;
  const purities = purityRange(purity, input.purityTolerance ?? PURITY_TOLERANCE);
  const whole = tumourNumbers(erbb2, cep17, purities);
  const copies = tumourCopyNumber(erbb2.value, purity);
  const cep17Copies = cep17 ? tumourCopyNumber(cep17.value, purity) : null;
  const ratio = cep17Copies !== null ? copies / Math.max(MIN_CEP17_COPIES, cep17Copies) : null;
  const limit = detectionLimit(erbb2, cep17, purity, purities);
  const where = `at purity ${f2(purity)} (taken as ${f2(purities[0])} to ${f2(purities[1])})`;
  // Where part of the gene has a level of its own, the gene's level (that of most of its probes) is named as such, so the two reasons do not read as one contradicting the other.
  const gain = input.partialGain;
  const hasPart = partial !== undefined || gain?.estimate !== undefined;
  const numbers =
    `ERBB2${hasPart ? "'s gene level (most of its probes)" : ''} ${f1(whole.copies[0])} to ${f1(whole.copies[1])} copies per tumour cell` +
    (whole.ratio ? `, ratio to CEP17-like ${f1(whole.ratio[0])} to ${f1(whole.ratio[1])}` : ', no CEP17-like reference on this panel') +
    `; probability of amplification ${probabilityRange(whole.probability, cep17 !== undefined)}`;
  const reasons: string[] = [];
  const wholeStatus = judgeProbability(whole.probability);
  let status = wholeStatus;
  if (status === 'amplified') reasons.push(`${where}, ${numbers}: amplified (>= ${POSITIVE_COPIES} copies, or >= ${RATIO_POSITIVE_COPIES} with a ratio >= ${RATIO_POSITIVE})`);
  else if (status === 'not_amplified') reasons.push(`${where}, ${numbers}: amplification${hasPart ? ' at the gene level' : ''} excluded`);
  else {
    reasons.push(
      `${where}, ${numbers}: amplification can neither be confirmed nor excluded` +
        (limit === null ? '; this sample cannot detect an amplification at this purity' : `; fewer than ${f1(limit)} copies per tumour cell cannot be told from no amplification`),
    );
  }
  if (partial) {
    const part = partial.estimate ? tumourNumbers(partial.estimate, cep17, purities) : null;
    const partStatus = part ? judgeProbability(part.probability) : 'indeterminate';
    const what = `partial amplicon: ERBB2 probes ${partial.first} to ${partial.last} (${partial.probes} of ${partial.of})` + (part ? ` at ${f1(part.copies[0])} to ${f1(part.copies[1])} copies per tumour cell` : '');
    if (partStatus === 'amplified') {
      reasons.push(`${what}: amplified in that part (the HER2 FISH probe spans the whole gene)`);
      status = 'amplified';
    } else if (status !== 'amplified') {
      reasons.push(`${what}: the amplified part cannot be judged from its probes; FISH decides`);
      status = 'indeterminate';
    }
  }
  if (!partial && gain?.estimate && status !== 'amplified') {
    // A smaller step inside ERBB2, judged by the copies its higher part means in the tumour cells.
    const part = tumourNumbers(gain.estimate, cep17, purities);
    const partStatus = judgeProbability(part.probability);
    const what = `${partialGainWhat(gain, 'above')}, at ${f1(part.copies[0])} to ${f1(part.copies[1])} copies per tumour cell (probability of amplification ${probabilityRange(part.probability, cep17 !== undefined)})`;
    if (partStatus === 'amplified') {
      reasons.push(`${what}: amplified in that part (the HER2 FISH probe spans the whole gene)`);
      status = 'amplified';
    } else if (partStatus === 'indeterminate') {
      reasons.push(`${what}: amplification of that part can neither be confirmed nor excluded; FISH decides`);
      status = 'indeterminate';
    }
  }
  // Only where the whole gene's level alone leaves the answer open: a part of the gene in its own segment is not a purity question.
  const onlyWhole = status === 'indeterminate' && reasons.length === 1 && wholeStatus === 'indeterminate';
  const decided = onlyWhole ? decidingPurity(erbb2, cep17) : null;
  const deciding = decided && (decided.not_amplified_from !== null || decided.amplified_up_to !== null) ? decided : null;
  if (deciding) reasons[0] += decidingText(deciding);
  const tumor: TumorCells = {
    purity,
    purity_range: roundInterval(purities),
    erbb2_copies: round(copies),
    erbb2_copies_ci95: roundInterval(whole.copies),
    cep17_copies: cep17Copies === null ? null : round(cep17Copies),
    cep17_copies_ci95: cep17 ? roundInterval(copiesInterval(cep17, purities)) : null,
    cep17_probes: input.cep17Probes,
    ratio: ratio === null ? null : round(ratio),
    ratio_ci95: whole.ratio ? roundInterval(whole.ratio) : null,
    group: ratio === null ? null : ascoCapGroup(copies, ratio),
    detection_limit_copies: limit,
    amplification_probability: roundInterval(whole.probability, 4),
    deciding_purity: deciding,
  };
  return { assessment: { status, basis: 'tumor_cells', reasons, action: ACTIONS[status] }, tumor };
}
