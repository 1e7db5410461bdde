// The panel-of-normals file's name and version, the names of its probe
// columns and flags, and the bound of its fragment-length coefficient: what
// readers and the builder need without the schema (schema.ts), whose library
// is loaded only to explain a file that fails its check.
import { SPILL_SCALE_MAX } from '../normalize/density.js';

export const PON_FORMAT = 'her2cn-pon';
/**
 * The file's layout version: raised only when the shape changes (a field
 * added, removed or given another meaning), so that a reader refuses a file
 * it would misread.
 */
export const PON_FORMAT_VERSION = 2;

export const PROBE_FLAGS = ['low_coverage', 'noisy', 'no_coverage', 'no_male_normals'] as const;
export type ProbeFlag = (typeof PROBE_FLAGS)[number];

/** The probe columns, in the order the file holds them. */
export const PROBE_COLUMNS = ['chrom', 'start', 'end', 'name', 'gene', 'gc', 'log2', 'spread', 'weight', 'flags'] as const;

/**
 * Fragment-length model (normalize/density.ts): the scale of the bait spill,
 * 1 where depths follow the capture geometry; `her2cn pon` fits it within
 * [0, SPILL_SCALE_MAX], so anything else was not written by it.
 */
export const INSERT_COEFFICIENT_BOUND = SPILL_SCALE_MAX;
