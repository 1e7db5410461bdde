// Shared by the tests of precomputed coverage inputs (mosdepth regions,
// bigWig): the call from such a file against the call from the BAM.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { fixtures } from '../fixtures.js';
import { runCli, tempDir } from '../helpers.js';

/**
 * Precomputed depths carry no insert size, so the fragment-length correction
 * of crowded probes (ERBB2's exons) is not made: on the committed tumours
 * that moves ERBB2's log2 by -0.22 (FFPE, short inserts) to +0.13 (long
 * inserts) against the BAM's call. Allowed: 0.25.
 */
export const LOG2_TOLERANCE = 0.25;

/** The tumours compared: amplified (T01), not amplified (T10), borderline flagged below (T07) and above (T11) the cut-off. */
export const CASES = ['T01', 'T07', 'T10', 'T11'];

export interface CallRun {
  json: Record<string, any>;
  out: string;
  stderr: string;
}

export function callJson(input: string, extra: string[] = []): CallRun {
  const out = tempDir();
  const r = runCli(['call', input, '--out', out, '--json', ...extra]);
  expect(r.status, r.stderr).toBe(0);
  return { json: JSON.parse(r.stdout), out, stderr: r.stderr };
}

/** The BAM's call: `her2cn call` of every committed tumour is made once per test run (fixtures.ts). */
function bamCall(sample: string): Record<string, any> {
  return JSON.parse(readFileSync(join(fixtures().calls, `${sample}.her2cn.json`), 'utf8'));
}

/** The same call and QC outcome as the BAM's, ERBB2 within the tolerance, and the file named as precomputed coverage everywhere. */
export function expectSameCall(sample: string, run: CallRun, input: string, format: string): void {
  const bam = bamCall(sample);
  const d = run.json;
  expect(d.sample).toBe(sample);
  expect(d.call).toBe(bam.call);
  expect(d.qc.status).toBe(bam.qc.status);
  expect(Math.abs(d.log2 - bam.log2)).toBeLessThanOrEqual(LOG2_TOLERANCE);
  expect(d.inputs.bam).toBeNull();
  expect(d.inputs.coverage).toEqual({ file: input, format, precomputed: true, read_filters_checked: false, reference: null });
  expect(d.normalization.insert_size.sample).toBe(0);
  expect(d.qc.reasons.some((r: string) => /precomputed .* file .*read filters could not be checked/.test(r))).toBe(true);
  expect(d.qc.reasons.some((r: string) => /no insert sizes: the fragment-length correction .* was not applied/.test(r))).toBe(true);
  expect(run.stderr).toMatch(/warning: .*depths from a precomputed/);
  const report = readFileSync(join(run.out, `${sample}.report.html`), 'utf8');
  expect(report).toContain('(precomputed ');
  expect(report).toMatch(/her2cn did not see the reads, so the read filters .* could not be checked/);
}
