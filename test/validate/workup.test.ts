// Every branch of the HER2 category and of the IHC-first work-up, from a table.
import { describe, expect, it } from 'vitest';
import type { IhcScore } from '../../src/clinical/ihc.js';
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
    [undefined, undefined, 'unknown'],
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
    [undefined, 'amplified', 'score IHC', 'not_applicable'],
  ] as const)('IHC %s, NGS %s -> %s (%s)', (ihc, call, action, concordance) => {
    const w = workup(ihc as IhcScore | undefined, call);
    expect(w.action).toBe(action);
    expect(w.concordance).toBe(concordance);
    expect(w.decision_support).toBe(true);
  });
});
