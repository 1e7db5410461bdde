// HER2 categories and the IHC-first work-up of the published study, as
// decision support: the report says so, and a no-call never yields a
// concordant answer.
import type { IhcScore } from './ihc.js';

export type Her2Category = 'HER2-positive' | 'HER2-low' | 'HER2-zero' | 'HER2-equivocal (ISH pending)' | 'unknown';

/**
 * Category from IHC, and ISH where known (ASCO/CAP; HER2-low = IHC 1+, or
 * IHC 2+ with negative ISH; HER2-zero = IHC 0). A positive ISH makes the
 * tumour HER2-positive whatever its IHC.
 */
export function her2Category(ihc: IhcScore | undefined, fish?: 'positive' | 'negative'): { category: Her2Category; basis: string } {
  if (fish === 'positive') return { category: 'HER2-positive', basis: `ISH positive${ihc ? `, IHC ${ihc}` : ''}` };
  switch (ihc) {
    case '3+':
      return { category: 'HER2-positive', basis: 'IHC 3+' };
    case '2+':
      return fish === 'negative'
        ? { category: 'HER2-low', basis: 'IHC 2+, ISH negative' }
        : { category: 'HER2-equivocal (ISH pending)', basis: 'IHC 2+ without an ISH result' };
    case '1+':
      return { category: 'HER2-low', basis: 'IHC 1+' };
    case '0':
      return { category: 'HER2-zero', basis: 'IHC 0' };
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

/**
 * Next step of the IHC-first work-up: IHC 2+ reflexes to FISH; IHC 0/1+ and
 * 3+ are checked against NGS: its assessment where there is one (an
 * indeterminate assessment goes to FISH like a no-call), else its call.
 */
export function workup(ihc: IhcScore | undefined, call: 'amplified' | 'not_amplified' | 'indeterminate' | 'no_call'): Workup {
  const support = { decision_support: true as const };
  if (ihc === undefined) return { action: 'score IHC', concordance: 'not_applicable', explanation: 'no IHC score given; the work-up starts from IHC', ...support };
  if (ihc === '2+') return { action: 'FISH (reflex)', concordance: 'not_applicable', explanation: 'IHC 2+ is equivocal and reflexes to FISH', ...support };
  if (call === 'no_call') {
    return { action: 'FISH', concordance: 'not_applicable', explanation: `NGS could not assess ERBB2 (QC failed); IHC ${ihc} cannot be confirmed by NGS`, ...support };
  }
  if (call === 'indeterminate') {
    return { action: 'FISH', concordance: 'not_applicable', explanation: `NGS is indeterminate for ERBB2 (see the assessment's reasons); IHC ${ihc} cannot be confirmed by NGS`, ...support };
  }
  const ihcPositive = ihc === '3+';
  const ngsPositive = call === 'amplified';
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
