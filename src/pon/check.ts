// Checking a panel-of-normals document before anything uses it: its format
// and version, every field against the schema (types, ranges, finite
// numbers), then what the schema cannot say (columns as long as the probe
// count, coordinates matching the fingerprint, GC matching its source). The
// first violation is reported in one line naming the file and the field.
// The field check is the schema's, compiled ahead (shape-check.ts); TypeBox
// itself is loaded only to say what is wrong with a file that fails it.
import type { ValueError } from '@sinclair/typebox/errors';
import { Her2cnError } from '../errors/errors.js';
import { compareProbes } from '../panel/bed.js';
import { MIN_NORMALS } from './build.js';
import { PON_FORMAT, PON_FORMAT_VERSION, PROBE_COLUMNS, PROBE_FLAGS } from './format.js';
import { panelFingerprint, ponProbes } from './pon.js';
import type { PanelOfNormals } from './schema.js';
import { checkPonShape } from './shape-check.js';

const REBUILD = "rebuild it with 'her2cn pon'";

/** The document as a checked PanelOfNormals, or an input error naming `path` and the first field at fault. */
export async function checkPon(doc: unknown, path: string): Promise<PanelOfNormals> {
  const refuse = (problem: string, fix = REBUILD) => new Her2cnError('input', `${path}: ${problem}; ${fix}`, path);
  const d = doc as Record<string, unknown> | null;
  if (!d || typeof d !== 'object' || Array.isArray(d) || d.format !== PON_FORMAT) {
    throw refuse(`not a her2cn panel of normals (no "format": "${PON_FORMAT}")`, "build one with 'her2cn pon'");
  }
  if (d.formatVersion !== PON_FORMAT_VERSION) {
    throw refuse(`panel of normals format version ${JSON.stringify(d.formatVersion)}, this her2cn reads version ${PON_FORMAT_VERSION}`, "rebuild it with this her2cn's 'her2cn pon' from the same normals");
  }
  // The first layout of version 1 fitted the fragment-length effect per base of insert size, without limits.
  const effect = d.insertEffect as Record<string, unknown> | undefined;
  if (effect && typeof effect === 'object' && !('min' in effect) && !('max' in effect)) {
    throw refuse(
      `panel of normals written by an earlier her2cn (no /insertEffect/min or /insertEffect/max: its fragment-length coefficient has another meaning)`,
      "rebuild it with this her2cn's 'her2cn pon' from the same normals",
    );
  }
  if (!checkPonShape(doc)) throw refuse(`panel of normals is damaged: ${await firstSchemaError(doc, d)}`);
  const problem = consistency(doc as PanelOfNormals);
  if (problem) throw refuse(`panel of normals is damaged: ${problem}`);
  return doc as PanelOfNormals;
}

/** The first field the schema refuses, in words. */
async function firstSchemaError(doc: unknown, d: Record<string, unknown>): Promise<string> {
  const [{ TypeCompiler }, { ValueErrorType }, { PanelOfNormalsSchema }] = await Promise.all([
    import('@sinclair/typebox/compiler'),
    import('@sinclair/typebox/errors'),
    import('./schema.js'),
  ]);
  const first = TypeCompiler.Compile(PanelOfNormalsSchema).Errors(doc).First();
  // The compiled check and the schema disagree only if shape-check.ts is stale (npm run schema).
  return first ? describe(first, d, ValueErrorType) : 'it fails the schema check';
}

/** A schema violation in words: the field (with the probe's name), what it holds and what was expected. */
function describe(e: ValueError, doc: Record<string, unknown>, ValueErrorType: typeof import('@sinclair/typebox/errors').ValueErrorType): string {
  const field = fieldName(e.path || '/', doc);
  if (e.type === ValueErrorType.ObjectRequiredProperty) return `${field} is missing`;
  if (e.type === ValueErrorType.ObjectAdditionalProperties) return `${field} is not a field of format version ${PON_FORMAT_VERSION}`;
  let expected = e.message;
  if (e.type === ValueErrorType.StringPattern && /^\/probes\/flags\//.test(e.path)) expected = `Expected comma-separated flags from ${PROBE_FLAGS.join(', ')}`;
  if (e.type === ValueErrorType.Union) {
    const variants = (e.schema.anyOf ?? []) as { const?: unknown; type?: string }[];
    if (variants.every(v => v.const !== undefined)) expected = `Expected one of ${variants.map(v => JSON.stringify(v.const)).join(', ')}`;
    else {
      // A nullable value: what the non-null form expected.
      const inner = e.errors[0]?.First();
      if (inner) expected = `${inner.message} or null`;
    }
  }
  return `${field} is ${shown(e.value)}: ${expected.charAt(0).toLowerCase()}${expected.slice(1)}`;
}

/** `/probes/log2/12` with the probe's name, so a user can find it. */
function fieldName(path: string, doc: Record<string, unknown>): string {
  const m = /^\/probes\/\w+\/(\d+)$/.exec(path);
  const names = (doc.probes as { name?: unknown } | undefined)?.name;
  if (m && Array.isArray(names) && typeof names[Number(m[1])] === 'string') return `${path} (probe ${names[Number(m[1])]})`;
  return path;
}

function shown(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** What the schema cannot express; the first inconsistency, or undefined. */
function consistency(pon: PanelOfNormals): string | undefined {
  const n = pon.panel.probes;
  const p = pon.probes;
  for (const c of PROBE_COLUMNS) {
    if (p[c].length !== n) return `/probes/${c} has ${p[c].length} values for the ${n} probes of /panel/probes`;
  }
  for (let i = 0; i < n; i++) {
    if (p.end[i] <= p.start[i]) return `/probes/end/${i} (probe ${p.name[i]}) is ${p.end[i]}, not after its start ${p.start[i]}`;
  }
  const probes = ponProbes(pon);
  if (panelFingerprint(probes) !== pon.panel.fingerprint) {
    return `/panel/fingerprint does not match the probes' coordinates (/probes/chrom, /probes/start, /probes/end)`;
  }
  // The fingerprint does not see order, but every column is read by position in the panel's order
  // (by chromosome, then start): a file reordered by hand would be applied to the wrong probes.
  for (let i = 1; i < n; i++) {
    if (compareProbes(probes[i - 1], probes[i]) > 0) return `/probes/start/${i} (probe ${p.name[i]}) is out of the panel's order (by chromosome, then start) after probe ${p.name[i - 1]}`;
  }
  for (let i = 0; i < n; i++) {
    if (p.weight[i] > 0 && p.log2[i] === null) return `/probes/weight/${i} (probe ${p.name[i]}) is ${p.weight[i]} but the probe has no level (/probes/log2/${i} is null)`;
  }
  const withGc = p.gc.filter(g => g !== null).length;
  if (pon.gcSource === 'none' && withGc > 0) return `/probes/gc has ${withGc} values but /gcSource is "none"`;
  if (pon.gcSource === 'panel' && withGc === 0) return `/probes/gc has no values but /gcSource is "panel"`;
  if (pon.gcSource === 'fasta' && withGc < n) {
    const i = p.gc.indexOf(null);
    return `/probes/gc/${i} (probe ${p.name[i]}) is null but /gcSource is "fasta" (${n - withGc} of ${n} probes without GC: the FASTA did not cover the panel)`;
  }
  const e = pon.insertEffect;
  if (!(e.min <= e.reference && e.reference <= e.max)) return `/insertEffect/reference ${e.reference} is not between /insertEffect/min ${e.min} and /insertEffect/max ${e.max}`;
  const seen = new Set<string>();
  for (const [s, r] of pon.normals.entries()) {
    if (seen.has(r.name)) return `/normals/${s}/name ${JSON.stringify(r.name)} appears twice`;
    seen.add(r.name);
    if (r.used && r.noise === null) return `/normals/${s}/noise is null but the normal is used (only a normal left out unmeasured has none)`;
  }
  const used = pon.normals.filter(r => r.used).length;
  if (used < MIN_NORMALS) return `/normals has ${used} used normals; a panel of normals needs at least ${MIN_NORMALS}`;
  return undefined;
}
