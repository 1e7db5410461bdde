// Writing simulated samples: a BAM (+CSI) per sample and the truth tables.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../output/files.js';
import { CHROMOSOME_LENGTHS } from '../panel/builds.js';
import type { Probe } from '../panel/panel.js';
import { BamWriter, type Reference } from './bam-writer.js';
import type { IndexFormat } from './index-writer.js';
import { type SampleSpec, truthOf } from './model.js';
import { BaseSource } from './bases.js';
import { READ_LENGTH, simulateReads } from './reads.js';

/** GRCh38 chr1-22, X, Y, M with their real lengths, in the usual order. */
export function grch38References(): Reference[] {
  return Object.entries(CHROMOSOME_LENGTHS.GRCh38).map(([name, length]) => ({ name, length }));
}

export function headerText(spec: SampleSpec, refs: Reference[], commandLine: string): string {
  const lines = ['@HD\tVN:1.6\tSO:coordinate', ...refs.map(r => `@SQ\tSN:${r.name}\tLN:${r.length}\tAS:GRCh38`)];
  lines.push(`@RG\tID:${spec.name}\tSM:${spec.name}\tLB:${spec.name}-lib1\tPL:ILLUMINA\tPU:${spec.name}.1`);
  lines.push(`@PG\tID:her2cn-simulate\tPN:her2cn-simulate\tCL:${commandLine}`);
  return lines.join('\n') + '\n';
}

/** Writes one sample; with `bases`, records carry read bases and qualities (benchmark-sized BAMs). */
export function writeSampleBam(spec: SampleSpec, probes: Probe[], path: string, seed: string, options: { bases?: boolean; level?: number; index?: boolean | IndexFormat } = {}): number {
  const refs = grch38References();
  const bases = options.bases ? new BaseSource(`${seed} ${spec.name}`, READ_LENGTH) : undefined;
  const writer = new BamWriter(path, headerText(spec, refs, `her2cn-simulate seed=${seed} sample=${spec.name}`), refs, { bases, level: options.level, index: options.index });
  simulateReads(spec, probes, refs, seed, r => writer.add(r));
  writer.close();
  return writer.records;
}

/** Margin around the 1.3 cut-off inside which the truth is called borderline rather than callable. */
export const CALLABLE_MARGIN = 0.2;
export const THRESHOLD = 1.3;

/** Columns a caller of truthTable adds after the standard ones, with each tumour's values. */
export interface ExtraTruthColumns {
  names: string[];
  values: (spec: SampleSpec) => (string | number)[];
}

export function truthTable(specs: SampleSpec[], probes: Probe[], extra?: ExtraTruthColumns): string {
  const cols = [
    'sample', 'fish', 'ihc', 'her2_per_cell', 'cep17_per_cell', 'ratio', 'fish_group',
    'expected_log2', 'expected_call', 'expected_chr17_log2', 'erbb2_probes_in_amplicon', 'erbb2_probes',
    'tumor_erbb2_cn', 'purity', 'amplicon', 'amplicon_copies', 'amplified_fraction', 'chr17_copies',
    'sex', 'ffpe', 'description', 'wgd', ...(extra?.names ?? []),
  ];
  const rows = [cols.join('\t')];
  for (const s of specs.filter(x => x.role === 'tumour')) {
    const t = truthOf(s, probes);
    const f = t.fish!;
    const noisy = s.library.noiseCv >= 0.5;
    const call = noisy
      ? 'no_call'
      : t.erbb2Log2 >= THRESHOLD + CALLABLE_MARGIN
        ? 'amplified'
        : t.erbb2Log2 <= THRESHOLD - CALLABLE_MARGIN
          ? 'not_amplified'
          : 'borderline';
    rows.push(
      [
        s.name, f.positive ? 'positive' : 'negative', s.ihc ?? '', f.her2PerCell, f.cep17PerCell, f.ratio, f.group,
        t.erbb2Log2.toFixed(3), call, t.chr17Log2.toFixed(3), t.erbb2ProbesAmplified, t.erbb2Probes,
        Number(t.tumourErbb2Copies.toFixed(2)), s.purity, s.amplicon?.extent ?? 'none', s.amplicon?.copies ?? '',
        s.amplicon ? Number(s.amplicon.fraction.toFixed(3)) : '', s.chr17Copies, s.sex, s.ffpe ? 'yes' : 'no', s.description,
        s.wgd ? 'yes' : 'no', ...(extra?.values(s) ?? []),
      ].join('\t'),
    );
  }
  return rows.join('\n') + '\n';
}

export function cohortTable(specs: SampleSpec[]): string {
  const cols = ['sample', 'role', 'sex', 'bam', 'ffpe', 'purity', 'depth', 'gc_slope', 'gc_curve', 'noise_cv', 'duplicate_rate', 'off_target_fraction', 'insert_mean', 'description'];
  const rows = [cols.join('\t')];
  for (const s of specs) {
    const l = s.library;
    rows.push(
      [s.name, s.role, s.sex, `${s.name}.bam`, s.ffpe ? 'yes' : 'no', s.purity, l.depth, l.gcSlope, l.gcCurve, l.noiseCv, l.duplicateRate, l.offTargetFraction, l.insertMean, s.description].join('\t'),
    );
  }
  return rows.join('\n') + '\n';
}

export function writeCohort(specs: SampleSpec[], probes: Probe[], out: string, seed: string, log: (line: string) => void = () => {}): void {
  mkdirSync(out, { recursive: true });
  for (const spec of specs) {
    const records = writeSampleBam(spec, probes, join(out, `${spec.name}.bam`), seed);
    log(`${spec.name}: ${records} records`);
  }
  writeFileAtomic(join(out, 'truth.tsv'), truthTable(specs, probes));
  writeFileAtomic(join(out, 'cohort.tsv'), cohortTable(specs));
}
