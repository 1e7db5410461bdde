// Calls every tumour of a simulated cohort and checks the calls against the
// simulator's truth table (never against her2cn's own numbers).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type CallResult, callErbb2 } from '../../src/call/call.js';
import { measureBam } from '../../src/coverage/measure.js';
import type { Probe } from '../../src/panel/panel.js';
import type { PanelOfNormals } from '../../src/pon/pon.js';

/** How far a measured ERBB2 log2 may be from the simulated expectation. */
export const LOG2_TOLERANCE = 0.3;

export type Truth = Record<string, string>;

export function readTruth(dir: string): Truth[] {
  const [head, ...rows] = readFileSync(join(dir, 'truth.tsv'), 'utf8').trim().split('\n');
  const cols = head.split('\t');
  return rows.map(r => Object.fromEntries(r.split('\t').map((v, i) => [cols[i], v])));
}

export type Measured = Map<string, Awaited<ReturnType<typeof measureBam>>>;

export async function measureCohort(dir: string, pon: PanelOfNormals, probes: Probe[]): Promise<Measured> {
  const measured: Measured = new Map();
  for (const t of readTruth(dir)) measured.set(t.sample, await measureBam(join(dir, `${t.sample}.bam`), probes, 'test', pon.filters));
  return measured;
}

/**
 * Calls every tumour measured; with `purityFactor`, each with the truth's
 * purity times that factor (a pathologist's estimate off by it), capped below 1.
 */
export function callMeasured(truth: Truth[], measured: Measured, pon: PanelOfNormals, probes: Probe[], purityFactor?: number): Map<string, CallResult> {
  const results = new Map<string, CallResult>();
  for (const t of truth) {
    const m = measured.get(t.sample)!;
    const purity = purityFactor === undefined ? undefined : Math.min(0.99, Number(t.purity) * purityFactor);
    results.set(
      t.sample,
      callErbb2({ sample: t.sample, probes, depths: m.depths, gc: probes.map(p => p.gc), medianInsert: m.medianInsert, insertSpread: m.insertSpread, build: m.build, pon, threshold: 1.3, purity }),
    );
  }
  return results;
}

export async function callCohort(dir: string, pon: PanelOfNormals, probes: Probe[]): Promise<Map<string, CallResult>> {
  return callMeasured(readTruth(dir), await measureCohort(dir, pon, probes), pon, probes);
}

/**
 * The assessment never contradicts FISH: no FISH-positive tumour assessed
 * not amplified, no FISH-negative one assessed amplified; a library QC must
 * refuse is no call. Returns the statuses, for the record.
 */
export function checkAssessment(truth: Truth[], results: Map<string, CallResult>, label: string): string {
  const lines: string[] = [];
  for (const t of truth) {
    const r = results.get(t.sample)!;
    const where = `${label}: ${t.sample} (${t.description}), FISH ${t.fish}: ${r.assessment.status}: ${r.assessment.reasons.join('; ')}`;
    lines.push(`${t.sample}\tFISH ${t.fish}\t${r.assessment.status}`);
    if (t.expected_call === 'no_call') {
      expect(r.assessment.status, where).toBe('no_call');
      continue;
    }
    if (t.fish === 'positive') expect(r.assessment.status, where).not.toBe('not_amplified');
    if (t.fish === 'negative') expect(r.assessment.status, where).not.toBe('amplified');
    // The purity that would decide an indeterminate tumour, read at the simulated purity, never contradicts FISH either.
    const deciding = r.tumor?.deciding_purity;
    if (deciding) {
      const purity = Number(t.purity);
      const at = `${where}; simulated purity ${purity}, deciding ${JSON.stringify(deciding)}`;
      if (deciding.not_amplified_from !== null && purity >= deciding.not_amplified_from) expect(t.fish, at).toBe('negative');
      if (deciding.amplified_up_to !== null && purity <= deciding.amplified_up_to) expect(t.fish, at).toBe('positive');
    }
  }
  return lines.join('\n');
}

/** The agreement table: sample, expected, measured, call. */
export function agreementTable(truth: Truth[], results: Map<string, CallResult>): string {
  return truth
    .map(t => {
      const r = results.get(t.sample)!;
      return `${t.sample}\t${t.expected_call}\t${t.expected_log2}\t${r.call}\t${r.log2}\t${r.ci95?.join('..')}`;
    })
    .join('\n');
}

export function checkAgreement(truth: Truth[], results: Map<string, CallResult>): void {
  for (const t of truth) {
    const r = results.get(t.sample)!;
    const expected = Number(t.expected_log2);
    const where = `${t.sample} (${t.description})`;
    if (t.expected_call === 'no_call') {
      expect(r.call, where).toBe('no_call');
      expect(r.qc.reasons.length, where).toBeGreaterThan(0);
      continue;
    }
    expect(r.qc.status, `${where}: ${r.qc.reasons.join('; ')}`).toBe('pass');
    if (t.expected_call === 'amplified' || t.expected_call === 'not_amplified') expect(r.call, where).toBe(t.expected_call);
    expect(Math.abs(r.log2! - expected), `${where}: log2 ${r.log2} vs expected ${expected}`).toBeLessThanOrEqual(LOG2_TOLERANCE);
    if (t.chr17_copies !== '2' && t.amplicon === 'none') {
      // polysomy: ERBB2 rises with the whole chromosome
      expect(r.call, where).toBe('not_amplified');
      expect(Math.abs(r.chr17.erbb2_minus_chr17!), where).toBeLessThan(0.3);
    }
    if (t.amplicon === 'partial' || t.amplicon === 'partial-internal') {
      const inAmplicon = Number(t.erbb2_probes_in_amplicon);
      expect(r.probes.at_or_above_threshold, where).toBeGreaterThan(0);
      expect(r.probes.at_or_above_threshold, where).toBeLessThan(r.probes.used);
      expect(r.amplicon.partial, where).not.toBeNull();
      expect(Math.abs(r.amplicon.partial!.high.count - inAmplicon), where).toBeLessThanOrEqual(3);
    } else if (t.expected_call === 'amplified') {
      expect(r.amplicon.partial, where).toBeNull();
    }
  }
}
