// HER2 categories and the IHC-first work-up of the published study, as
// decision support: the report says so, and a no-call never yields a
// concordant answer.
import { type IhcScore, isEquivocal, isFocal } from './ihc.js';

/**
 * HER2-ultralow and HER2-null split HER2-zero where the lab qualified its
 * IHC 0. The ASCO/CAP 2023 update affirmed 2018 scoring (all three are IHC
 * 0, HER2-negative) and asked that IHC 0 be told apart from 1+ with care; it
 * named no new result categories, so these (with HER2-low) are the terms of
 * the trials of trastuzumab deruxtecan, reported as decision support.
 */
export type Her2Category = 'HER2-positive' | 'HER2-low' | 'HER2-ultralow' | 'HER2-null' | 'HER2-zero' | 'HER2-equivocal (ISH pending)' | 'unknown';

/**
 * Category from IHC, and ISH where known (ASCO/CAP; HER2-low = IHC 1+, or
 * IHC 2+ with negative ISH; HER2-zero = IHC 0, HER2-ultralow and HER2-null
 * when the 0 is qualified). A positive ISH makes the tumour HER2-positive
 * whatever its IHC. A focal score is equivocal like 2+: it needs ISH, and
 * with a negative ISH it is HER2-low, as it has at least 1+ regions.
 */
export function her2Category(ihc: IhcScore | undefined, fish?: 'positive' | 'negative'): { category: Her2Category; basis: string } {
  if (fish === 'positive') return { category: 'HER2-positive', basis: `ISH positive${ihc ? `, IHC ${ihc}` : ''}` };
  if (ihc !== undefined && isEquivocal(ihc)) {
    const focal = isFocal(ihc) ? ' (heterogeneous, equivocal like 2+)' : '';
    return fish === 'negative'
      ? { category: 'HER2-low', basis: `IHC ${ihc}${focal}, ISH negative` }
      : { category: 'HER2-equivocal (ISH pending)', basis: `IHC ${ihc}${focal} without an ISH result` };
  }
  switch (ihc) {
    case '3+':
      return { category: 'HER2-positive', basis: 'IHC 3+' };
    case '1+':
      return { category: 'HER2-low', basis: 'IHC 1+' };
    case '0':
      return { category: 'HER2-zero', basis: 'IHC 0' };
    case '0 (ultralow)':
      return { category: 'HER2-ultralow', basis: 'IHC 0 with faint, incomplete membrane staining in at most 10% of tumour cells' };
    case '0 (null)':
      return { category: 'HER2-null', basis: 'IHC 0 without membrane staining' };
    default:
      return { category: 'unknown', basis: fish === 'negative' ? 'ISH negative, no IHC score' : 'no IHC score' };
  }
}

export type Concordance = 'concordant' | 'discordant' | 'not_applicable';

export interface Workup {
  action: string;
  concordance: Concordance;
  explanation: string;
  decision_support: true;
}

/** What NGS's assessment of ERBB2 can be. */
export type NgsStatus = 'amplified' | 'not_amplified' | 'indeterminate' | 'no_call';

/**
 * Next step of the IHC-first work-up, on NGS's assessment: IHC 2+ reflexes
 * to FISH; IHC 0 (qualified or not), 1+ and 3+ are checked against NGS, and
 * only where they disagree go to FISH; an indeterminate assessment goes to
 * FISH like a no-call.
 *
 * The focal scores reflex to FISH as 2+ does. The study's FISH positivity in
 * 1-2+ focal (20.4%) and 2-3+ focal (44.4%) is that of an equivocal group,
 * not of a negative (1.5%, 6.9%) or positive (91.4%) one, with no significant
 * difference from 2+; and a heterogeneous tumour is where bulk sequencing is
 * weakest (it averages amplified and non-amplified cells) while FISH counts
 * nuclei region by region.
 */
export function workup(ihc: IhcScore | undefined, status: NgsStatus): Workup {
  const support = { decision_support: true as const };
  if (ihc === undefined) return { action: 'score IHC', concordance: 'not_applicable', explanation: 'no IHC score given; the work-up starts from IHC', ...support };
  if (ihc === '2+') return { action: 'FISH (reflex)', concordance: 'not_applicable', explanation: 'IHC 2+ is equivocal and reflexes to FISH', ...support };
  if (isFocal(ihc)) {
    return {
      action: 'FISH (reflex)',
      concordance: 'not_applicable',
      explanation: `IHC ${ihc} is heterogeneous and, like IHC 2+, equivocal: it reflexes to FISH, which counts nuclei region by region where bulk NGS averages them`,
      ...support,
    };
  }
  if (status === 'no_call') {
    return { action: 'FISH', concordance: 'not_applicable', explanation: `NGS could not assess ERBB2 (QC failed); IHC ${ihc} cannot be confirmed by NGS`, ...support };
  }
  if (status === 'indeterminate') {
    return { action: 'FISH', concordance: 'not_applicable', explanation: `NGS is indeterminate for ERBB2 (see the assessment's reasons); IHC ${ihc} cannot be confirmed by NGS`, ...support };
  }
  const ihcPositive = ihc === '3+';
  const ngsPositive = status === 'amplified';
  if (ihcPositive === ngsPositive) {
    return {
      action: 'report',
      concordance: 'concordant',
      explanation: ihcPositive ? 'IHC 3+ and NGS amplified agree' : `IHC ${ihc} and NGS not amplified agree`,
      ...support,
    };
  }
  return {
    action: 'confirm by FISH',
    concordance: 'discordant',
    explanation: ihcPositive ? 'IHC 3+ but NGS not amplified: IHC and NGS disagree' : `IHC ${ihc} but NGS amplified: IHC and NGS disagree`,
    ...support,
  };
}
