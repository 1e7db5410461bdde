// HER2 immunohistochemistry (IHC) scores as pathologists report them: the
// ASCO/CAP scores 0 to 3+, the two heterogeneous ("focal") scores of the
// published study, and IHC 0 split into null and ultralow where a lab
// records it. Every reader of a score (truth table, samples table, --ihc)
// goes through parseIhcScore, so one spelling rule holds everywhere and
// every output carries one canonical form.

/**
 * The study's six IHC groups, in the order of its Figure 1. A focal score is
 * a heterogeneous tumour with regions of the two intensities.
 */
export const IHC_GROUPS = ['0', '1+', '1-2+ focal', '2+', '2-3+ focal', '3+'] as const;
export type IhcGroup = (typeof IHC_GROUPS)[number];

/**
 * IHC 0 with its qualifier: null (no membrane staining) or ultralow (faint,
 * incomplete staining in at most 10% of tumour cells). Both are IHC 0 by
 * ASCO/CAP 2018 scoring, which the 2023 update affirmed.
 */
export type IhcZeroQualifier = 'null' | 'ultralow';

export type IhcScore = IhcGroup | '0 (null)' | '0 (ultralow)';

/** Every canonical score, in order of staining: how a score is written in every output. */
export const IHC_SCORES: readonly IhcScore[] = ['0', '0 (null)', '0 (ultralow)', '1+', '1-2+ focal', '2+', '2-3+ focal', '3+'];

export function isIhcScore(value: string): value is IhcScore {
  return (IHC_SCORES as readonly string[]).includes(value);
}

/** The study's group of a score: a qualified IHC 0 is in group 0. */
export function ihcGroup(score: IhcScore): IhcGroup {
  return score === '0 (null)' || score === '0 (ultralow)' ? '0' : score;
}

/** The qualifier of an IHC 0, when the lab gave one. */
export function zeroQualifier(score: IhcScore): IhcZeroQualifier | undefined {
  return score === '0 (null)' ? 'null' : score === '0 (ultralow)' ? 'ultralow' : undefined;
}

/** A focal (heterogeneous) score. */
export function isFocal(score: IhcScore): boolean {
  return score === '1-2+ focal' || score === '2-3+ focal';
}

/**
 * Scores that go to ISH before HER2 status is known: 2+, and both focal
 * scores (see clinical/workup.ts for why the focal scores are treated so).
 */
export function isEquivocal(score: IhcScore): boolean {
  return score === '2+' || isFocal(score);
}

const ZERO_WORD = '(null|ultra-?low|ultra low)';
/** IHC 0 with a qualifier, bracketed or not, or `ultralow` alone (unambiguous, unlike `null` alone). */
const QUALIFIED_ZERO = new RegExp(`^(?:0\\(${ZERO_WORD}\\)|0 ${ZERO_WORD}|(ultra-?low|ultra low))$`);

const PLAIN: Record<string, IhcScore> = {
  '0': '0',
  '1+': '1+',
  '2+': '2+',
  '3+': '3+',
  '1-2+focal': '1-2+ focal',
  '2-3+focal': '2-3+ focal',
};

/**
 * The canonical score of a lab's spelling, or undefined when it is not one.
 * Accepted: any case; en dash, minus sign or hyphen; spaces around dashes,
 * plus signs and brackets, or none (`1–2+ focal`, `1-2+focal`, `2 - 3 +
 * FOCAL`, `3 +`); IHC 0 qualified as `0 (null)`, `0 null`, `0 (ultralow)`,
 * `0 ultralow`, `0 ultra-low`, or `ultralow` alone. `null` alone is refused:
 * data exports write it for a missing value.
 */
export function parseIhcScore(text: string): IhcScore | undefined {
  const s = text
    .normalize('NFKC') // full-width digits and plus signs, no-break spaces
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/ ?([-+()]) ?/g, '$1');
  const plain = PLAIN[s];
  if (plain) return plain;
  const zero = QUALIFIED_ZERO.exec(s);
  if (!zero) return undefined;
  const word = zero[1] ?? zero[2] ?? zero[3];
  return word === 'null' ? '0 (null)' : '0 (ultralow)';
}

/** The one-line refusal of a value that is not a score, listing the accepted ones. */
export function ihcRefusal(found: string): string {
  const hint = found.trim().toLowerCase() === 'null' ? "; for IHC 0 without staining write '0 (null)'" : '';
  return `ihc must be one of ${IHC_SCORES.join(', ')} (any case, hyphen or en dash, 'focal' with or without a space), found '${found}'${hint}`;
}
