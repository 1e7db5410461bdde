// her2cn_mqc.json: a MultiQC custom-content file that puts each sample's
// ERBB2 assessment, level and QC in the General Statistics table of a lab's
// MultiQC report, beside its other QC. The values are cohort.tsv's (read
// through the same function), MAPD and median depth taken from the result;
// a no-call carries no level, as everywhere else. One object per sample,
// sorted by sample name, keys in a fixed order: the same results give the
// same bytes.
import { type CohortEntry, cohortValues } from '../batch/cohort.js';
import { DEFAULT_THRESHOLD } from '../call/call.js';
import { DEFAULT_QC } from '../call/qc.js';

export const MULTIQC_FILE = 'her2cn_mqc.json';

/** The columns as MultiQC shows them (its `pconfig` for plot_type generalstats), in order. */
const COLUMNS = [
  {
    her2cn_assessment: {
      title: 'ERBB2',
      description: 'her2cn assessment: amplified, not_amplified, indeterminate (reflex to FISH), no_call (QC failed: FISH) or error (not called)',
      scale: false,
    },
  },
  {
    her2cn_log2: {
      title: 'ERBB2 log2',
      description: `ERBB2 gene-level log2 ratio against the panel of normals (amplified at or above the threshold, ${DEFAULT_THRESHOLD} unless set); empty for a no-call`,
      format: '{:,.2f}',
      min: -2,
      max: 4,
      scale: 'RdBu_r',
    },
  },
  { her2cn_mapd: { title: 'MAPD', description: `her2cn noise: median absolute difference of neighbouring probes' log2 (no call above ${DEFAULT_QC.maxMapd} unless set)`, format: '{:,.2f}', min: 0, scale: 'OrRd' } },
  { her2cn_depth: { title: 'Probe depth', description: 'her2cn median probe depth', suffix: 'x', format: '{:,.0f}', min: 0, scale: 'Blues' } },
  { her2cn_qc: { title: 'HER2 QC', description: 'her2cn QC status: pass, or fail (no call)', scale: false } },
] as const;

type Row = { her2cn_assessment: string; her2cn_log2?: number; her2cn_mapd?: number; her2cn_depth?: number; her2cn_qc?: string };

function row(e: CohortEntry): Row {
  if (e.status === 'error') return { her2cn_assessment: 'error' };
  const v = cohortValues(e);
  const out: Row = { her2cn_assessment: String(v.assessment) };
  // a no-call's level is not reported, whatever the cohort table holds
  if (typeof v.log2 === 'number' && e.result.call !== 'no_call') out.her2cn_log2 = v.log2;
  if (e.result.qc.mapd !== null) out.her2cn_mapd = e.result.qc.mapd;
  out.her2cn_depth = e.result.qc.median_depth;
  out.her2cn_qc = String(v.qc_status);
  return out;
}

export function formatMultiqc(entries: CohortEntry[], version: string): string {
  const sorted = [...entries].sort((a, b) => (a.sample < b.sample ? -1 : a.sample > b.sample ? 1 : 0));
  const doc = {
    id: 'her2cn',
    section_name: 'her2cn',
    description: `ERBB2 (HER2) amplification, her2cn ${version}: the assessment to act on, the bulk log2 ratio and the QC behind it.`,
    plot_type: 'generalstats',
    pconfig: COLUMNS,
    data: {},
  };
  // Samples written in sorted order one by one: an object would put names like "12" first.
  const data = sorted.map(e => `    ${JSON.stringify(e.sample)}: ${JSON.stringify(row(e), null, 2).replace(/\n/g, '\n    ')}`).join(',\n');
  return JSON.stringify(doc, null, 2).replace('"data": {}', sorted.length ? `"data": {\n${data}\n  }` : '"data": {}') + '\n';
}
