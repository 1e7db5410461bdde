// Every branch of the HER2 category and of the IHC-first work-up, from a table.
import { describe, expect, it } from 'vitest';
import { IHC_SCORES, type IhcScore } from '../../src/clinical/ihc.js';
import { her2Category, workup } from '../../src/clinical/workup.js';

describe('HER2 category', () => {
  it.each([
    ['3+', undefined, 'HER2-positive'],
    ['2+', 'positive', 'HER2-positive'],
    ['2+', 'negative', 'HER2-low'],
    ['2+', undefined, 'HER2-equivocal (ISH pending)'],
    ['1+', undefined, 'HER2-low'],
    ['1+', 'positive', 'HER2-positive'],
    ['0', undefined, 'HER2-zero'],
    ['0', 'negative', 'HER2-zero'],
    ['0 (ultralow)', undefined, 'HER2-ultralow'],
    ['0 (ultralow)', 'negative', 'HER2-ultralow'],
    ['0 (ultralow)', 'positive', 'HER2-positive'],
    ['0 (null)', undefined, 'HER2-null'],
    ['0 (null)', 'negative', 'HER2-null'],
    ['0 (null)', 'positive', 'HER2-positive'],
    ['1-2+ focal', undefined, 'HER2-equivocal (ISH pending)'],
    ['1-2+ focal', 'negative', 'HER2-low'],
    ['1-2+ focal', 'positive', 'HER2-positive'],
    ['2-3+ focal', undefined, 'HER2-equivocal (ISH pending)'],
    ['2-3+ focal', 'negative', 'HER2-low'],
    ['2-3+ focal', 'positive', 'HER2-positive'],
    [undefined, undefined, 'unknown'],
    [undefined, 'negative', 'unknown'],
  ] as const)('IHC %s, ISH %s -> %s', (ihc, fish, category) => {
    expect(her2Category(ihc as IhcScore | undefined, fish).category).toBe(category);
  });
});

describe('work-up', () => {
  it.each([
    ['2+', 'amplified', 'FISH (reflex)', 'not_applicable'],
    ['2+', 'not_amplified', 'FISH (reflex)', 'not_applicable'],
    ['2+', 'no_call', 'FISH (reflex)', 'not_applicable'],
    ['0', 'not_amplified', 'report', 'concordant'],
    ['1+', 'not_amplified', 'report', 'concordant'],
    ['3+', 'amplified', 'report', 'concordant'],
    ['0', 'amplified', 'confirm by FISH', 'discordant'],
    ['1+', 'amplified', 'confirm by FISH', 'discordant'],
    ['3+', 'not_amplified', 'confirm by FISH', 'discordant'],
    ['0', 'no_call', 'FISH', 'not_applicable'],
    ['3+', 'no_call', 'FISH', 'not_applicable'],
    ['1+', 'indeterminate', 'FISH', 'not_applicable'],
    ['3+', 'indeterminate', 'FISH', 'not_applicable'],
    ['0 (ultralow)', 'not_amplified', 'report', 'concordant'],
    ['0 (ultralow)', 'amplified', 'confirm by FISH', 'discordant'],
    ['0 (ultralow)', 'indeterminate', 'FISH', 'not_applicable'],
    ['0 (null)', 'not_amplified', 'report', 'concordant'],
    ['0 (null)', 'amplified', 'confirm by FISH', 'discordant'],
    ['0 (null)', 'no_call', 'FISH', 'not_applicable'],
    // the focal scores are equivocal: FISH whatever NGS says
    ['1-2+ focal', 'amplified', 'FISH (reflex)', 'not_applicable'],
    ['1-2+ focal', 'not_amplified', 'FISH (reflex)', 'not_applicable'],
    ['1-2+ focal', 'indeterminate', 'FISH (reflex)', 'not_applicable'],
    ['1-2+ focal', 'no_call', 'FISH (reflex)', 'not_applicable'],
    ['2-3+ focal', 'amplified', 'FISH (reflex)', 'not_applicable'],
    ['2-3+ focal', 'not_amplified', 'FISH (reflex)', 'not_applicable'],
    ['2-3+ focal', 'indeterminate', 'FISH (reflex)', 'not_applicable'],
    ['2-3+ focal', 'no_call', 'FISH (reflex)', 'not_applicable'],
    [undefined, 'amplified', 'score IHC', 'not_applicable'],
  ] as const)('IHC %s, NGS %s -> %s (%s)', (ihc, call, action, concordance) => {
    const w = workup(ihc as IhcScore | undefined, call);
    expect(w.action).toBe(action);
    expect(w.concordance).toBe(concordance);
    expect(w.decision_support).toBe(true);
  });

  it('covers every score and every assessment status, naming the score as written in outputs', () => {
    for (const ihc of IHC_SCORES) {
      for (const status of ['amplified', 'not_amplified', 'indeterminate', 'no_call'] as const) {
        const w = workup(ihc, status);
        expect(w.explanation, `${ihc} ${status}`).toContain(`IHC ${ihc}`);
        // a concordant answer needs an NGS assessment that agrees with IHC
        if (w.concordance === 'concordant') expect(status === 'amplified').toBe(ihc === '3+');
      }
      expect(her2Category(ihc).basis).toMatch(ihc.startsWith('0') ? /^IHC 0/ : new RegExp(`^IHC ${ihc.replace('+', '\\+')}`));
    }
  });
});
