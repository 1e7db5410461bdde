// validate's breakdown by IHC group, laid out as the published study's
// Figure 1: for each of its six groups, FISH positivity with its exact
// interval beside what NGS says, so a lab sees its own series against the
// study's and where NGS and IHC part. IHC 0 is split by qualifier (null,
// ultralow) when the truth table records one. Pure: cases in, rows out.
import { IHC_GROUPS, type IhcGroup, type IhcScore, ihcGroup, isEquivocal, zeroQualifier } from '../clinical/ihc.js';
import type { NgsStatus } from '../clinical/workup.js';
import { round } from '../stats/round.js';
import { type Metric, metric } from './metric.js';

/**
 * FISH positivity (%) by IHC group in the study's 4,884 carcinomas (its
 * Figure 1), printed beside a lab's own for comparison.
 */
export const STUDY_FISH_POSITIVE_PCT: Record<IhcGroup, number> = {
  '0': 1.5,
  '1+': 6.9,
  '1-2+ focal': 20.4,
  '2+': 20.9,
  '2-3+ focal': 44.4,
  '3+': 91.4,
};

/** One matched sample: its truth and what the scored field of its result says. */
export interface BreakdownCase {
  sample: string;
  ihc?: IhcScore;
  fish?: 'positive' | 'negative';
  ngs: NgsStatus;
}

export interface IhcBreakdownRow {
  /** The group (one of the six), or in the IHC 0 split the score as written ('0' for an unqualified 0). */
  ihc: string;
  n: number;
  fish_tested: number;
  fish_positive: number;
  fish_positive_pct: number | null;
  /** FISH positive / FISH tested as a fraction, with its exact 95% interval. */
  fish_positive_rate: Metric;
  /** The study's FISH positivity for the group (%), null for the IHC 0 split. */
  study_fish_positive_pct: number | null;
  /** Assessed by NGS: neither a no-call nor indeterminate. */
  ngs_called: number;
  ngs_amplified: number;
  ngs_amplified_pct: number | null;
  /** NGS amplified / NGS assessed, with its exact 95% interval. */
  ngs_amplified_rate: Metric;
  /** Not assessed by NGS: no-calls and indeterminate results together. */
  no_calls: number;
  /** Of those, the indeterminate ones. */
  indeterminate: number;
  /** Assessed samples where NGS and a decisive IHC disagree (none for the equivocal 2+ and focal groups). */
  discordant_with_ihc: string[];
  /** Assessed samples with FISH where NGS and FISH disagree. */
  discordant_with_fish: string[];
}

const pct = (part: number, whole: number) => (whole ? round((100 * part) / whole) : null);

function row(ihc: string, cases: BreakdownCase[], study: number | null, equivocal: boolean, ihcPositive: boolean): IhcBreakdownRow {
  const withFish = cases.filter(c => c.fish !== undefined);
  const fishPositive = withFish.filter(c => c.fish === 'positive').length;
  const called = cases.filter(c => c.ngs === 'amplified' || c.ngs === 'not_amplified');
  const amplified = called.filter(c => c.ngs === 'amplified').length;
  return {
    ihc,
    n: cases.length,
    fish_tested: withFish.length,
    fish_positive: fishPositive,
    fish_positive_pct: pct(fishPositive, withFish.length),
    fish_positive_rate: metric(fishPositive, withFish.length),
    study_fish_positive_pct: study,
    ngs_called: called.length,
    ngs_amplified: amplified,
    ngs_amplified_pct: pct(amplified, called.length),
    ngs_amplified_rate: metric(amplified, called.length),
    no_calls: cases.length - called.length,
    indeterminate: cases.filter(c => c.ngs === 'indeterminate').length,
    // An equivocal IHC goes to FISH, so NGS cannot disagree with it.
    discordant_with_ihc: equivocal ? [] : called.filter(c => (c.ngs === 'amplified') !== ihcPositive).map(c => c.sample),
    discordant_with_fish: called.filter(c => c.fish !== undefined && (c.ngs === 'amplified') !== (c.fish === 'positive')).map(c => c.sample),
  };
}

/**
 * `groups`: the six groups, always, in the study's order. `zero`: IHC 0
 * split into null, ultralow and unqualified, each where present; empty
 * when no IHC 0 in the table carries a qualifier.
 */
export function ihcBreakdown(cases: BreakdownCase[]): { groups: IhcBreakdownRow[]; zero: IhcBreakdownRow[] } {
  const groups = IHC_GROUPS.map(g =>
    row(
      g,
      cases.filter(c => c.ihc !== undefined && ihcGroup(c.ihc) === g),
      STUDY_FISH_POSITIVE_PCT[g],
      isEquivocal(g),
      g === '3+',
    ),
  );
  const zeros = cases.filter(c => c.ihc !== undefined && ihcGroup(c.ihc) === '0');
  if (!zeros.some(c => zeroQualifier(c.ihc!) !== undefined)) return { groups, zero: [] };
  const zero = (['0 (null)', '0 (ultralow)', '0'] as const)
    .map(score => zeros.filter(c => c.ihc === score))
    .filter(part => part.length > 0)
    .map(part => row(part[0].ihc!, part, null, false, false));
  return { groups, zero };
}
