// The pieces of the printed report and plot that are plain functions: label
// placement, the bulk copy-number scale, numbers without "-0.00", the
// specimen fields, and the chrY level of a sample without a Y.
import { describe, expect, it } from 'vitest';
import { specimenFrom, specimenProblem } from '../../src/clinical/specimen.js';
import { specimenField } from '../../src/cli/options.js';
import { measuredY } from '../../src/normalize/sample.js';
import { bulkCopies, spreadLabels } from '../../src/output/plot.js';
import { fixed } from '../../src/stats/round.js';

describe('label placement', () => {
  it('leaves labels that do not touch where they are', () => {
    expect(spreadLabels([10, 30, 50], 12, 0, 100)).toEqual([10, 30, 50]);
  });

  it('spreads a crowd around its mean, each at least the gap apart, keeping the order', () => {
    const at = spreadLabels([40, 41, 42, 90], 12, 0, 100);
    expect(at[1]).toBeCloseTo(41, 9);
    expect(at[0]).toBeCloseTo(29, 9);
    expect(at[2]).toBeCloseTo(53, 9);
    expect(at[3]).toBe(90);
  });

  it('merges runs that a spread pushes into each other, and keeps them within the axis', () => {
    const wanted = [0, 1, 2, 20, 21, 22, 98, 99, 100];
    const at = spreadLabels(wanted, 10, 0, 100);
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(10 - 1e-9);
    expect(at[0]).toBeGreaterThanOrEqual(0);
    expect(at.at(-1)!).toBeLessThanOrEqual(100 + 1e-9);
    // the same input, the same places
    expect(spreadLabels(wanted, 10, 0, 100)).toEqual(at);
  });
});

describe('numbers as printed', () => {
  it('shows bulk copies on a diploid baseline', () => {
    expect(bulkCopies(0)).toBe(2);
    expect(bulkCopies(1)).toBe(4);
    expect(bulkCopies(-1)).toBe(1);
  });

  it('never writes -0.00', () => {
    expect(fixed(-0.001, 2)).toBe('0.00');
    expect(fixed(-0.004, 2)).toBe('0.00');
    expect(fixed(-0.005, 2)).toBe('-0.01');
    expect(fixed(-0.04, 1)).toBe('0.0');
    expect(fixed(-0.2, 0)).toBe('0');
    expect(fixed(0.3199, 2)).toBe('0.32');
    expect(fixed(-1.5, 2)).toBe('-1.50');
  });
});

describe('specimen fields', () => {
  it('takes real dates and short lines, refuses the rest with the reason', () => {
    expect(specimenProblem('collected', '2024-02-29')).toBeUndefined();
    expect(specimenProblem('collected', '2023-02-29')).toMatch(/not a date written YYYY-MM-DD/);
    expect(specimenProblem('collected', '2024-13-01')).toMatch(/not a date/);
    expect(specimenProblem('id', 'core\tA')).toMatch(/control character/);
    expect(specimenProblem('id', '  ')).toBe('an empty value');
    expect(specimenProblem('tumor_content', '60% (H&E)')).toBeUndefined();
  });

  it('refuses a bad value on the command line as a usage error, and trims a good one', () => {
    expect(() => specimenField('collected')('4/3/26')).toThrow("expected a date, YYYY-MM-DD, got '4/3/26' is not a date written YYYY-MM-DD");
    expect(() => specimenField('id')('a\nb')).toThrow('expected one line of at most 100 characters');
    expect(specimenField('accession')(' H26-1 ')).toBe('H26-1');
  });

  it('is absent when nothing was given, and fills the rest with null when something was', () => {
    expect(specimenFrom({})).toBeUndefined();
    expect(specimenFrom({ block: ' A2 ' })).toEqual({ id: null, accession: null, block: 'A2', tumor_content: null, collected: null });
  });
});

describe('the chrY level of the sex call', () => {
  it('is null when most chrY probes had no reads, and kept when measured', () => {
    expect(measuredY({ sex: 'female', xLog2: 0.02, yLog2: -10 })).toEqual({ sex: 'female', xLog2: 0.02, yLog2: null });
    expect(measuredY({ sex: 'male', xLog2: -1, yLog2: -0.93 })).toEqual({ sex: 'male', xLog2: -1, yLog2: -0.93 });
    expect(measuredY({ sex: 'female', xLog2: 0, yLog2: null }).yLog2).toBeNull();
  });
});
