// The result document, <sample>.her2cn.json: its JSON Schema and, derived
// from it, its TypeScript type. Every stage that writes or reads a result
// uses these, so the shape is declared once; `npm run schema` writes the
// schema to docs/her2cn-result.schema.json for pipelines.
import { type Static, type TSchema, Type } from '@sinclair/typebox';

const closed = { additionalProperties: false } as const;
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Interval = Type.Tuple([Type.Number(), Type.Number()]);

const CallSchema = Type.Union([Type.Literal('amplified'), Type.Literal('not_amplified'), Type.Literal('no_call')]);
const AssessmentStatusSchema = Type.Union([Type.Literal('amplified'), Type.Literal('not_amplified'), Type.Literal('indeterminate'), Type.Literal('no_call')]);

export const QcCheckSchema = Type.Object(
  {
    metric: Type.String(),
    value: Nullable(Type.Number()),
    limit: Type.Number(),
    /** 'max' when the value must not exceed the limit, 'min' when it must reach it. */
    kind: Type.Union([Type.Literal('max'), Type.Literal('min')]),
    pass: Type.Boolean(),
  },
  closed,
);

export const AssessmentSchema = Type.Object(
  {
    status: AssessmentStatusSchema,
    basis: Type.Union([Type.Literal('tumor_cells'), Type.Literal('bulk')]),
    reasons: Type.Array(Type.String()),
    action: Type.String(),
  },
  closed,
);

export const TumorSchema = Type.Object(
  {
    purity: Type.Number(),
    purity_range: Interval,
    erbb2_copies: Type.Number(),
    erbb2_copies_ci95: Interval,
    cep17_copies: Nullable(Type.Number()),
    cep17_copies_ci95: Nullable(Interval),
    cep17_probes: Type.Integer(),
    ratio: Nullable(Type.Number()),
    ratio_ci95: Nullable(Interval),
    group: Nullable(Type.Integer({ minimum: 1, maximum: 5 })),
    detection_limit_copies: Nullable(Type.Number()),
    /** Probability of the positive region over the levels' intervals: its lowest and highest over the purity range (and, without a CEP17-like reference, the unknown ratio). */
    amplification_probability: Interval,
    /** While indeterminate: the purities, known exactly, that would decide it (null: none, or not indeterminate on the whole gene's level). */
    deciding_purity: Nullable(
      Type.Object(
        {
          not_amplified_from: Nullable(Type.Number({ minimum: 0, maximum: 1 })),
          amplified_up_to: Nullable(Type.Number({ minimum: 0, maximum: 1 })),
        },
        closed,
      ),
    ),
  },
  closed,
);

export const SegmentSchema = Type.Object(
  {
    chrom: Type.String(),
    start: Type.Integer(),
    end: Type.Integer(),
    probes: Type.Integer(),
    first_probe: Type.String(),
    last_probe: Type.String(),
    log2: Type.Number(),
    erbb2_probes: Type.Integer(),
  },
  closed,
);

export const GeneResultSchema = Type.Object(
  {
    gene: Type.String(),
    chrom: Type.String(),
    start: Type.Integer(),
    end: Type.Integer(),
    log2: Nullable(Type.Number()),
    ci95: Nullable(Interval),
    probes: Type.Integer(),
    probes_used: Type.Integer(),
    at_or_above_threshold: Type.Integer(),
  },
  closed,
);

const PartSchema = Type.Object({ first: Type.String(), last: Type.String(), count: Type.Integer(), log2: Type.Number() }, closed);
export const PartialAmpliconSchema = Type.Object({ high: PartSchema, low: PartSchema }, closed);

export const SexCallSchema = Type.Object(
  {
    sex: Type.Union([Type.Literal('female'), Type.Literal('male'), Type.Literal('unknown')]),
    /** Median log2 of chrX probes relative to the autosomes (0 for two copies, -1 for one). */
    xLog2: Nullable(Type.Number()),
    /** Median log2 of chrY probes; null when the panel has none or most have no reads (no Y chromosome). */
    yLog2: Nullable(Type.Number({ description: 'median log2 of the chrY probes; null when the panel has none or most of them have no reads (no Y chromosome)' })),
  },
  closed,
);

export const GcFitSchema = Type.Object(
  {
    /** Fitted trend at GC 0.35, 0.45, 0.55, 0.65: what was removed, for the record. */
    trend: Type.Array(Type.Object({ gc: Type.Number(), log2: Type.Number() }, closed)),
    probesUsed: Type.Integer(),
    method: Type.Literal('robust quadratic'),
    /** The correction at ERBB2's median probe GC, relative to the centring probes' median GC. */
    erbb2: Nullable(Type.Object({ gc: Type.Number(), log2: Type.Number() }, closed)),
  },
  closed,
);

export const NormalizationSchema = Type.Object(
  {
    centre: Type.Object({ method: Type.Literal('bulk centre'), first_pass: Type.Number(), after_gc: Type.Number(), probes: Type.Integer() }, closed),
    insert_size: Type.Object(
      { sample: Type.Number(), sample_spread: Type.Number(), used: Type.Number(), normals: Type.Number(), normals_spread: Type.Number(), coefficient: Type.Number(), min_overlap: Type.Number(), largest_correction: Type.Number(), erbb2: Type.Number() },
      closed,
    ),
    gc_correction: Type.Union([GcFitSchema, Type.Object({ skipped: Type.String() }, closed)]),
  },
  closed,
);

export const QcSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('pass'), Type.Literal('fail')]),
    reasons: Type.Array(Type.String()),
    mapd: Nullable(Type.Number()),
    median_depth: Type.Number(),
    checks: Type.Array(QcCheckSchema),
  },
  closed,
);

export const Chr17Schema = Type.Object(
  { log2: Nullable(Type.Number()), ci95: Nullable(Interval), probes: Type.Integer(), erbb2_minus_chr17: Nullable(Type.Number()) },
  closed,
);

export const ProbesSummarySchema = Type.Object(
  {
    total: Type.Integer(),
    used: Type.Integer(),
    at_or_above_threshold: Type.Integer(),
    excluded: Type.Array(Type.Object({ name: Type.String(), reasons: Type.Array(Type.String()) }, closed)),
  },
  closed,
);

export const AmpliconSchema = Type.Object(
  {
    neighbours: Type.Array(Type.Object({ gene: Type.String(), log2: Nullable(Type.Number()), at_or_above_threshold: Type.Boolean() }, closed)),
    partial: Nullable(PartialAmpliconSchema),
  },
  closed,
);

/** The specimen as the laboratory identifies it, from the command line or the samples table; every field as given. */
export const SpecimenSchema = Type.Object(
  {
    id: Nullable(Type.String()),
    accession: Nullable(Type.String()),
    block: Nullable(Type.String()),
    /** The pathologist's estimate of tumour content, as written (for the record; --purity is what the assessment uses). */
    tumor_content: Nullable(Type.String()),
    /** Collection date, YYYY-MM-DD. */
    collected: Nullable(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  },
  { ...closed, description: 'the specimen as the laboratory identifies it (call --specimen, --accession, --block, --tumour-content, --collected; batch: the samples table\'s columns); null when none was given' },
);

export const Her2cnResultSchema = Type.Object(
  {
    sample: Type.String(),
    gene: Type.Literal('ERBB2'),
    call: CallSchema,
    assessment: AssessmentSchema,
    log2: Nullable(Type.Number()),
    ci95: Nullable(Interval),
    fold_change: Nullable(Type.Number()),
    /** Only for a no-call with a measured level: the numbers a reviewer may look at, never a result. */
    measured_for_review: Type.Optional(
      Type.Object(
        { note: Type.String(), log2: Type.Number(), ci95: Nullable(Interval), fold_change: Type.Number(), erbb2_minus_chr17: Nullable(Type.Number()) },
        { ...closed, description: 'only for a no-call: the ERBB2 level measured on a sample that failed QC, for review only, not a result (log2, ci95, fold_change and chr17.erbb2_minus_chr17 are null)' },
      ),
    ),
    threshold: Type.Number(),
    probes: ProbesSummarySchema,
    qc: QcSchema,
    chr17: Chr17Schema,
    purity: Nullable(Type.Number()),
    tumor_copy_number: Nullable(Type.Number()),
    tumor_copy_number_ci95: Nullable(Interval),
    tumor: Nullable(TumorSchema),
    ihc: Nullable(Type.String()),
    specimen: Nullable(SpecimenSchema),
    her2_category: Nullable(Type.Object({ category: Type.String(), basis: Type.String() }, closed)),
    workup: Nullable(
      Type.Object({ action: Type.String(), concordance: Type.Union([Type.Literal('concordant'), Type.Literal('discordant'), Type.Literal('not_applicable')]), explanation: Type.String(), decision_support: Type.Literal(true) }, closed),
    ),
    genes: Type.Array(GeneResultSchema),
    amplicon: AmpliconSchema,
    segments: Type.Array(SegmentSchema),
    sex: SexCallSchema,
    normalization: NormalizationSchema,
    erbb2_probes: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          chrom: Type.String(),
          start: Type.Integer(),
          end: Type.Integer(),
          depth: Type.Number(),
          log2: Nullable(Type.Number()),
          weight: Type.Number(),
          flags: Type.Array(Type.String()),
        },
        closed,
      ),
    ),
    pon: Type.Object(
      {
        file: Type.String(),
        fingerprint: Type.String(),
        normals_used: Type.Integer(),
        normals_excluded: Type.Array(Type.Object({ name: Type.String(), reason: Type.Optional(Type.String()) }, closed)),
        median_depth: Type.Number(),
        gene_level_sd: Type.Number(),
        built_with: Type.String(),
      },
      closed,
    ),
    inputs: Type.Object(
      {
        bam: Nullable(Type.String()),
        coverage: Type.Object(
          { file: Type.String(), format: Type.String(), precomputed: Type.Boolean(), read_filters_checked: Type.Boolean(), reference: Nullable(Type.String()) },
          closed,
        ),
        panel: Type.String(),
        fasta: Nullable(Type.String()),
        build: Type.String(),
        read_group_samples: Type.Array(Type.String()),
        /** Present when the file holds several samples: the read groups of this sample, the only reads counted. */
        read_groups_counted: Type.Optional(Type.Array(Type.String(), { description: 'for a file of several samples: the read groups of this sample, the only reads counted' })),
        gc_source: Type.String(),
      },
      closed,
    ),
    filters: Type.Object({ minMapq: Type.Integer(), excludeFlags: Type.Integer(), countMateOverlapOnce: Type.Boolean() }, closed),
    methods: Type.Record(Type.String(), Type.String()),
    version: Type.String(),
  },
  { ...closed, title: 'her2cn result (<sample>.her2cn.json)' },
);

export type Her2cnResult = Static<typeof Her2cnResultSchema>;
export type Call = Her2cnResult['call'];
export type Assessment = Static<typeof AssessmentSchema>;
export type AssessmentStatus = Assessment['status'];
export type TumorCells = Static<typeof TumorSchema>;
export type Segment = Static<typeof SegmentSchema>;
export type GeneResult = Static<typeof GeneResultSchema>;
export type PartialAmplicon = Static<typeof PartialAmpliconSchema>;
export type QcCheck = Static<typeof QcCheckSchema>;
export type SexCall = Static<typeof SexCallSchema>;
export type GcFit = Static<typeof GcFitSchema>;
export type Specimen = Static<typeof SpecimenSchema>;

/** The schema as committed in docs/her2cn-result.schema.json. */
export function schemaText(): string {
  return JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...Her2cnResultSchema }, null, 2) + '\n';
}
