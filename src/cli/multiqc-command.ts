// `her2cn multiqc`: her2cn_mqc.json from call results, for workflows that
// call samples one by one (the Snakemake workflow); `batch` writes the same
// file itself.
import { writeFolderLocked } from '../output/lock.js';
import { checkOutputFolder, refuseOverwritingInputs } from '../output/location.js';
import { formatMultiqc, MULTIQC_FILE } from '../output/multiqc.js';
import { InputFiles } from '../util/input-files.js';
import { loadResultDocuments } from '../validate/results.js';

export async function runMultiqc(inputs: string[], options: { out: string; version: string }): Promise<void> {
  const results = loadResultDocuments(inputs);
  // Inputs and the output folder are checked before any work; no output may replace an input.
  const files = new InputFiles();
  for (const r of results) files.add(r.file, 'result');
  checkOutputFolder(options.out);
  refuseOverwritingInputs(options.out, [MULTIQC_FILE], files);
  const text = formatMultiqc(
    results.map(r => ({ sample: r.doc.sample, bam: r.doc.inputs.coverage.file, status: 'ok', result: r.doc })),
    options.version,
  );
  writeFolderLocked(options.out, 'multiqc', [[MULTIQC_FILE, text]]);
}
