// Resuming a cohort run: after a sample's six files are written, a small
// record of the inputs they were made from and of each file's SHA-256 is
// written beside them (in <out>/.her2cn-batch/<stem>.json). A later run
// reuses the sample only when that record names the same inputs and every
// file still has the recorded content; anything else (no record, other
// inputs, a file missing, changed or from an interrupted run) is recomputed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { QcLimits } from '../call/qc.js';
import { findIndex } from '../coverage/bam.js';
import { displayPath } from '../pipeline/shipped.js';
import { writeFailure, writeFileAtomic } from '../output/files.js';
import type { SampleRow } from './samples.js';

export const STATE_DIR = '.her2cn-batch';
const FORMAT = 'her2cn-batch-sample';
const FORMAT_VERSION = 1;

/** A file identified cheaply: path, size and modification time (BAMs and references are too large to hash on every run). */
export interface FileStamp {
  path: string;
  size: number | null;
  mtime_ms: number | null;
}

export function fileStamp(path: string): FileStamp {
  try {
    const s = statSync(path);
    return { path, size: s.size, mtime_ms: s.mtimeMs };
  } catch {
    return { path, size: null, mtime_ms: null };
  }
}

/** A small file identified by its content. */
export function contentHash(path: string): { path: string; sha256: string } {
  return { path: displayPath(path), sha256: sha256(readFileSync(path)) };
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Inputs every sample of a run shares. */
export interface SharedInputs {
  version: string;
  pon: { path: string; sha256: string };
  panel: { path: string; sha256: string } | null;
  gene_pattern?: string;
  fasta: FileStamp[] | null;
  /** The FASTA CRAMs are checked against (recorded in each result). */
  reference: FileStamp[] | null;
  threshold: number;
  /** The purity tolerance the tumour-cell intervals span (null: not recorded). */
  purity_tolerance: number | null;
  qc: QcLimits;
  /** Present (true) when each sample's VCF is also written bgzipped with its index. */
  vcf_gz?: true;
}

const fastaStamps = (path: string) => [path, `${path}.fai`, `${path}.gzi`].filter((p, i) => i === 0 || existsSync(p)).map(fileStamp);

export function sharedInputs(o: { pon: string; panel?: string; genePattern?: string; fasta?: string; reference?: string; threshold: number; purityTolerance?: number; qc: QcLimits; vcfGz?: boolean; version: string }): SharedInputs {
  return {
    version: o.version,
    pon: contentHash(o.pon),
    panel: o.panel ? contentHash(o.panel) : null,
    // recorded only when given, so records of runs without it stay valid
    ...(o.genePattern !== undefined ? { gene_pattern: o.genePattern } : {}),
    fasta: o.fasta ? fastaStamps(o.fasta) : null,
    reference: o.reference ? fastaStamps(o.reference) : null,
    threshold: o.threshold,
    purity_tolerance: o.purityTolerance ?? null,
    qc: { maxMapd: o.qc.maxMapd, minDepth: o.qc.minDepth, minRelativeDepth: o.qc.minRelativeDepth, minErbb2ProbeFraction: o.qc.minErbb2ProbeFraction },
    // recorded only when given, so records of runs without it stay valid
    ...(o.vcfGz ? { vcf_gz: true as const } : {}),
  };
}

/** Everything one sample's result depends on, in a fixed key order so that equal inputs give equal text. */
export function sampleInputs(row: SampleRow, shared: SharedInputs): Record<string, unknown> {
  const index = findIndex(row.bam);
  return {
    sample: row.sample,
    bam: fileStamp(row.bam),
    index: index ? fileStamp(index.path) : null,
    purity: row.purity ?? null,
    ihc: row.ihc ?? null,
    // recorded only when given, so records of runs without it stay valid
    ...(row.specimen ? { specimen: row.specimen } : {}),
    ...shared,
  };
}

export function statePath(out: string, stem: string): string {
  return join(out, STATE_DIR, `${stem}.json`);
}

/** The sample whose files an earlier batch recorded under this stem, if a readable record says so. */
export function recordedSample(out: string, stem: string): string | undefined {
  try {
    const record = JSON.parse(readFileSync(statePath(out, stem), 'utf8'));
    return record?.format === FORMAT && typeof record.inputs?.sample === 'string' ? record.inputs.sample : undefined;
  } catch {
    return undefined;
  }
}

/** Where the earlier results of samples that failed in a later run are kept. */
export const SUPERSEDED = 'superseded';

/**
 * A sample that failed in this run, whose earlier result batch recorded: its
 * files were made from other inputs, so they are moved out of the results
 * (into `.her2cn-batch/superseded/`), and its record removed, so nothing
 * beside `cohort.tsv`'s error line reads as its result. The folder, if any
 * file was moved.
 */
export function setAsideEarlierResult(out: string, stem: string, sample: string, fileNames: string[]): string | undefined {
  if (recordedSample(out, stem) !== sample) return undefined;
  const aside = join(out, STATE_DIR, SUPERSEDED);
  let moved = false;
  try {
    for (const name of fileNames) {
      if (!existsSync(join(out, name))) continue;
      mkdirSync(aside, { recursive: true });
      renameSync(join(out, name), join(aside, name));
      moved = true;
    }
    rmSync(statePath(out, stem), { force: true });
  } catch (e) {
    throw writeFailure(e, join(out, STATE_DIR));
  }
  return moved ? aside : undefined;
}

/** Records, after the sample's files are in place, what they were made from and their content. */
export function writeSampleState(out: string, stem: string, inputs: Record<string, unknown>, files: [string, string | Uint8Array][]): void {
  const record = { format: FORMAT, format_version: FORMAT_VERSION, inputs, files: Object.fromEntries(files.map(([name, content]) => [name, sha256(content)])) };
  try {
    mkdirSync(join(out, STATE_DIR), { recursive: true });
  } catch (e) {
    throw writeFailure(e, join(out, STATE_DIR));
  }
  writeFileAtomic(statePath(out, stem), JSON.stringify(record, null, 2) + '\n');
}

/**
 * The sample's result JSON when its files in `out` are complete and were
 * made from these inputs; otherwise why not. Reads the six files (they are
 * small) and compares their SHA-256 with the record.
 */
export function completeResult(out: string, stem: string, fileNames: string[], sample: string, inputs: Record<string, unknown>): { json: string } | { reason: string } {
  let record: { format?: unknown; format_version?: unknown; inputs?: unknown; files?: Record<string, unknown> };
  try {
    record = JSON.parse(readFileSync(statePath(out, stem), 'utf8'));
  } catch {
    return { reason: 'no record of an earlier complete run' };
  }
  if (record?.format !== FORMAT || record.format_version !== FORMAT_VERSION || typeof record.files !== 'object' || record.files === null) {
    return { reason: 'unreadable record of an earlier run' };
  }
  if (JSON.stringify(record.inputs) !== JSON.stringify(inputs)) return { reason: 'inputs or options changed' };
  let json = '';
  for (const name of fileNames) {
    let content: Buffer;
    try {
      content = readFileSync(join(out, name));
    } catch {
      return { reason: `${name} missing` };
    }
    if (record.files[name] !== sha256(content)) return { reason: `${name} changed or incomplete` };
    if (name.endsWith('.her2cn.json')) json = content.toString('utf8');
  }
  try {
    const doc = JSON.parse(json);
    if (doc.sample !== sample || doc.version !== (inputs as { version?: unknown }).version) return { reason: 'result of another sample or version' };
  } catch {
    return { reason: 'result JSON does not parse' };
  }
  return { json };
}
