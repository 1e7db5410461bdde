// What a reviewer must see beside the call: flags that do not stop it
// (borderline level, partial amplicon, possible polysomy, unused ERBB2
// probes, corrections that could not be made). Sentences, in a fixed order.
import type { ProbeResult } from '../normalize/tumour.js';
import type { PanelOfNormals } from '../pon/pon.js';
import type { PartialAmplicon, SexCall } from '../result/schema.js';
import type { Estimate } from '../stats/robust.js';
import { GC_MODEL_SHARE } from './genes.js';

export interface NotesInput {
  qcPassed: boolean;
  threshold: number;
  erbb2: Estimate | undefined;
  chr17: Estimate | undefined;
  partial: PartialAmplicon | undefined;
  /** ERBB2's probes (indexes into probeResults) and those not used. */
  erbb2Probes: number[];
  unusedErbb2Probes: number[];
  probeResults: ProbeResult[];
  precomputed?: { file: string; format: string };
  medianInsert: number;
  pon: PanelOfNormals;
  sex: SexCall;
  /** The GC correction made at ERBB2's median GC, when one was made. */
  gcAtErbb2: { gc: number; log2: number } | null;
}

/** A GC correction at ERBB2 larger than this (log2) is a flag: the level rests on the trend's fit. */
export const LARGE_GC_CORRECTION = 0.5;

/** An insert more than this share outside the normals' shortest or longest is said to be extrapolated (a tenth beyond is within their spread). */
const EXTRAPOLATED_INSERT = 0.1;

export function reviewerNotes(input: NotesInput): string[] {
  const { qcPassed, threshold, erbb2, partial, pon } = input;
  const notes: string[] = [];
  // Flags about the ERBB2 level only where a level is reported.
  if (qcPassed && erbb2 && erbb2.ci95[0] < threshold && erbb2.ci95[1] >= threshold) {
    notes.push(`ERBB2 log2 ${erbb2.value.toFixed(2)} has a 95% interval (${erbb2.ci95[0].toFixed(2)} to ${erbb2.ci95[1].toFixed(2)}) that crosses the ${threshold} threshold: borderline, consider FISH`);
  }
  if (partial && qcPassed) {
    // An internal amplicon: the rest of the gene lies on both sides of the higher part.
    const at = (name: string) => input.erbb2Probes.findIndex(i => input.probeResults[i].name === name);
    const internal = at(partial.low.first) < at(partial.high.first) && at(partial.high.last) < at(partial.low.last);
    notes.push(
      `partial amplicon: ${partial.high.count} ERBB2 probes (${partial.high.first} to ${partial.high.last}) at log2 ${partial.high.log2.toFixed(2)}, ` +
        (internal
          ? `the other ${partial.low.count} on both sides (${partial.low.first} to ${partial.low.last}) at ${partial.low.log2.toFixed(2)}`
          : `${partial.low.count} (${partial.low.first} to ${partial.low.last}) at ${partial.low.log2.toFixed(2)}`),
    );
  }
  if (qcPassed && erbb2 && input.chr17 && erbb2.value >= threshold && erbb2.value - input.chr17.value < 1) {
    const chr17 = input.chr17.value;
    notes.push(`ERBB2 is only ${(erbb2.value - chr17).toFixed(2)} above the rest of chromosome 17 (log2 ${chr17.toFixed(2)}): the gain may be of the whole chromosome (polysomy) rather than a focal amplification`);
  }
  const lost = input.unusedErbb2Probes;
  if (lost.length > 0) {
    notes.push(`${lost.length} of ${input.erbb2Probes.length} ERBB2 probes not used: ${lost.map(i => `${input.probeResults[i].name} (${input.probeResults[i].flags.join(', ')})`).join('; ')}`);
  }
  if (input.precomputed) {
    const f = pon.filters;
    notes.push(
      `coverage came from a precomputed ${input.precomputed.format} file (${input.precomputed.file}), not from reads: the read filters could not be checked; ` +
        `it must have been made like the panel of normals' (MAPQ >= ${f.minMapq}, SAM flags ${f.excludeFlags} excluded, overlapping mates counted once)`,
    );
    if (pon.insertEffect.coefficient !== 0) notes.push('precomputed coverage has no insert sizes: the fragment-length correction of crowded probes was not applied');
  } else if (input.medianInsert === 0 && pon.insertEffect.coefficient !== 0) {
    notes.push('no proper pairs with an insert size (single-end data?): the fragment-length correction of crowded probes was not applied');
  } else if (pon.insertEffect.coefficient !== 0 && input.medianInsert < pon.insertEffect.min * (1 - EXTRAPOLATED_INSERT)) {
    // Beyond the normals' inserts the correction is the model's, not a measurement: FFPE tumours against fresh normals.
    notes.push(
      `short fragments: the library's median insert (${input.medianInsert}) is well below the normals' shortest (${pon.insertEffect.min}), so the fragment-length correction of crowded probes (ERBB2's exons) is extrapolated; a panel of normals with FFPE normals would measure it`,
    );
  } else if (pon.insertEffect.coefficient !== 0 && input.medianInsert > pon.insertEffect.max * (1 + EXTRAPOLATED_INSERT)) {
    notes.push(
      `long fragments: the library's median insert (${input.medianInsert}) is well above the normals' longest (${pon.insertEffect.max}), so the fragment-length correction of crowded probes (ERBB2's exons) is extrapolated; a panel of normals with libraries of such fragments would measure it`,
    );
  }
  const gc = input.gcAtErbb2;
  if (gc && Math.abs(gc.log2) > LARGE_GC_CORRECTION) {
    notes.push(
      `strong GC bias: the correction at ERBB2's GC (${gc.gc.toFixed(2)}) is ${gc.log2.toFixed(2)} log2, so the ERBB2 level rests on the GC trend's fit; its interval is widened by ${Math.round(100 * GC_MODEL_SHARE)}% of the correction (in quadrature)`,
    );
  }
  if (input.sex.sex === 'unknown') notes.push(`sex not inferred (chrX log2 ${input.sex.xLog2}, chrY log2 ${input.sex.yLog2 ?? 'none: no reads'}); chrX taken as two copies`);
  return notes;
}
