// The panel-of-normals file: its JSON Schema and, derived from it, its
// TypeScript type. `her2cn pon` writes this shape and every reader checks a
// file against it field by field (src/pon/check.ts), so the shape is
// declared once. The bounds are not the ranges a sound PoN shows but the
// ranges outside which a value cannot have come from `her2cn pon`: they
// catch a damaged or hand-edited file before a call uses it.
import { type Static, type TSchema, Type } from '@sinclair/typebox';

import { INSERT_COEFFICIENT_BOUND, PON_FORMAT, PON_FORMAT_VERSION, PROBE_FLAGS } from './format.js';

export { INSERT_COEFFICIENT_BOUND, PON_FORMAT, PON_FORMAT_VERSION, PROBE_COLUMNS, PROBE_FLAGS, type ProbeFlag } from './format.js';

const closed = { additionalProperties: false } as const;
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/**
 * log2 levels (a probe's reference level, a normal's chrX/chrY or ERBB2
 * level) within ±20: a million-fold from the typical probe. Sex inference
 * writes −10 for a chromosome without reads; nothing her2cn measures lies
 * beyond ±20.
 */
const LOG2_BOUND = 20;
const Log2 = () => Type.Number({ minimum: -LOG2_BOUND, maximum: LOG2_BOUND });
/** Spreads and noise are robust SDs of log2: above 10 (a thousand-fold) they describe no assay. */
const SPREAD_BOUND = 10;
/**
 * Insert sizes: hybrid-capture libraries are sheared to a few hundred bases;
 * 10,000 is beyond any short-read library (0 means no proper pairs).
 */
const INSERT_BOUND = 10_000;
/** Minimum bait overlap of a captured fragment (bases): fitted among 0-80, so never beyond a read's length. */
const MIN_OVERLAP_BOUND = 150;
/**
 * Gene-level SD: the error the normals' ERBB2 levels share against each
 * other (their RMS less what their probes' sampling noise explains). At 1
 * (normals disagreeing by a factor 2) no interval could separate the 1.3
 * cut-off from 0; a PoN claiming more is not one to call with.
 */
const GENE_LEVEL_SD_BOUND = 1;
/**
 * Probe weights are 1/(spread² + typical spread²) over the median probe's,
 * so about 2 at most; 10 would let one probe outweigh ten typical ones.
 */
const WEIGHT_BOUND = 10;
/**
 * The QC's spreads are ratios to a sample's own per-probe noise (about 1 in
 * a sound normal); a normal at 20 would scatter twenty times its own noise,
 * nothing a normal used in a PoN shows. The margin on the normals' largest
 * value is 2 (src/pon/qc-limits.ts): below 1 a limit would fail the
 * normals themselves.
 */
const SPREAD_RATIO_BOUND = 20;
const QC_MARGIN_BOUND = 10;

const FLAG = `(${PROBE_FLAGS.join('|')})`;

export const NormalRecordSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    bam: Type.String(),
    sex: Type.Union([Type.Literal('female'), Type.Literal('male'), Type.Literal('unknown')]),
    xLog2: Nullable(Log2()),
    yLog2: Nullable(Log2()),
    /** Median depth of the normal's centring probes. */
    medianDepth: Type.Number({ minimum: 0 }),
    /** Robust SD of its log2 against the other normals (leave-one-out median); null when it had no usable coverage to measure. */
    noise: Nullable(Type.Number({ minimum: 0, maximum: SPREAD_BOUND })),
    /** Median insert size of its proper pairs on the probes (0: none). */
    medianInsert: Type.Number({ minimum: 0, maximum: INSERT_BOUND }),
    /** Their spread: interquartile range / 1.349 (0: none, or not measured). */
    insertSpread: Type.Number({ minimum: 0, maximum: INSERT_BOUND }),
    /** Its ERBB2 gene-level log2 against the other used normals (ideally 0); null when not used. */
    erbb2Log2: Nullable(Log2()),
    /** How far its ERBB2 probes scatter around their segments' levels, over its per-probe noise (src/call/spread.ts); null when not used or not measurable. */
    erbb2ProbeSpread: Nullable(Type.Number({ minimum: 0, maximum: SPREAD_RATIO_BOUND })),
    /** The robust SD of its genes' z-scores against their chromosome arms (src/call/spread.ts); null when not used or not measurable. */
    geneLevelSpread: Nullable(Type.Number({ minimum: 0, maximum: SPREAD_RATIO_BOUND })),
    /** The precomputed coverage format the depths came from (read filters not checked); absent for BAM and CRAM. */
    coverage: Type.Optional(Type.String()),
    used: Type.Boolean(),
    /** Why a normal was left out. */
    reason: Type.Optional(Type.String()),
  },
  closed,
);

export const PanelOfNormalsSchema = Type.Object(
  {
    format: Type.Literal(PON_FORMAT),
    formatVersion: Type.Literal(PON_FORMAT_VERSION),
    tool: Type.Object({ name: Type.Literal('her2cn'), version: Type.String() }, closed),
    panel: Type.Object(
      {
        source: Type.String(),
        /** SHA-256 of the probes' coordinates (pon.ts, panelFingerprint). */
        fingerprint: Type.String({ pattern: '^[0-9a-f]{64}$' }),
        /** The number of probes: every column of `probes` has this length. */
        probes: Type.Integer({ minimum: 1 }),
      },
      closed,
    ),
    /** Genome build of the normals' BAMs, from their header lengths. */
    build: Type.String({ minLength: 1 }),
    filters: Type.Object(
      {
        minMapq: Type.Integer({ minimum: 0, maximum: 255 }),
        /** SAM flag bits: 12 of them. */
        excludeFlags: Type.Integer({ minimum: 0, maximum: 0xfff }),
        countMateOverlapOnce: Type.Boolean(),
      },
      closed,
    ),
    gcSource: Type.Union([Type.Literal('panel'), Type.Literal('fasta'), Type.Literal('none')]),
    normals: Type.Array(NormalRecordSchema, { minItems: 1 }),
    /** Median of the used normals' median depths: the assay's typical depth (the QC's yardstick, so above 0). */
    medianDepth: Type.Number({ exclusiveMinimum: 0 }),
    /** Median of the probes' spreads. */
    typicalSpread: Type.Number({ minimum: 0, maximum: SPREAD_BOUND }),
    /**
     * Fragment-length effect on crowded probes (normalize/density.ts): the
     * bait spill's scale `coefficient` and the minimum bait overlap
     * `minOverlap`, relative to the spill of a library of the normals'
     * median insert size `reference` and median spread `referenceSpread`;
     * `min` and `max` bound the normals' inserts; beyond them a tumour's
     * correction is the model's extrapolation (a reviewer note says so).
     */
    insertEffect: Type.Object(
      {
        reference: Type.Number({ minimum: 0, maximum: INSERT_BOUND }),
        referenceSpread: Type.Number({ minimum: 0, maximum: INSERT_BOUND }),
        coefficient: Type.Number({ minimum: 0, maximum: INSERT_COEFFICIENT_BOUND }),
        minOverlap: Type.Number({ minimum: 0, maximum: MIN_OVERLAP_BOUND }),
        min: Type.Number({ minimum: 0, maximum: INSERT_BOUND }),
        max: Type.Number({ minimum: 0, maximum: INSERT_BOUND }),
      },
      closed,
    ),
    /**
     * How far a gene-level ERBB2 log2 strays from 0 in a normal measured
     * against the other normals (RMS over used normals): the part of a call's
     * uncertainty that probe resampling cannot see (centring, GC fit, PoN).
     */
    geneLevelSd: Type.Number({ minimum: 0, maximum: GENE_LEVEL_SD_BOUND }),
    /**
     * Limits of the QC's spread checks (src/pon/qc-limits.ts): the used
     * normals' largest erbb2ProbeSpread and geneLevelSpread times `margin`;
     * null when no normal could be measured (the check is then not made).
     */
    qcLimits: Type.Object(
      {
        erbb2ProbeSpread: Nullable(Type.Number({ exclusiveMinimum: 0, maximum: QC_MARGIN_BOUND * SPREAD_RATIO_BOUND })),
        geneLevelSpread: Nullable(Type.Number({ exclusiveMinimum: 0, maximum: QC_MARGIN_BOUND * SPREAD_RATIO_BOUND })),
        margin: Type.Number({ minimum: 1, maximum: QC_MARGIN_BOUND }),
      },
      closed,
    ),
    /** Per probe, columnar: every array has `panel.probes` values (checked in check.ts). */
    probes: Type.Object(
      {
        chrom: Type.Array(Type.String({ minLength: 1 })),
        start: Type.Array(Type.Integer({ minimum: 0 })),
        end: Type.Array(Type.Integer({ minimum: 1 })),
        name: Type.Array(Type.String()),
        gene: Type.Array(Type.String()),
        gc: Type.Array(Nullable(Type.Number({ minimum: 0, maximum: 1 }))),
        /** Median normalized log2 of the used normals, two-copy scale. */
        log2: Type.Array(Nullable(Log2())),
        /** Robust SD across the used normals. */
        spread: Type.Array(Nullable(Type.Number({ minimum: 0, maximum: SPREAD_BOUND }))),
        /** Relative weight of the probe in gene summaries (0 = excluded). */
        weight: Type.Array(Type.Number({ minimum: 0, maximum: WEIGHT_BOUND })),
        /** Comma-separated ProbeFlag values, '' when none. */
        flags: Type.Array(Type.String({ pattern: `^(${FLAG}(,${FLAG})*)?$` })),
      },
      closed,
    ),
  },
  { ...closed, title: 'her2cn panel of normals' },
);

export type NormalRecord = Static<typeof NormalRecordSchema>;
export type PanelOfNormals = Static<typeof PanelOfNormalsSchema>;
