// `her2cn call`: the ERBB2 call for one tumour: the run's setup, then the
// per-sample pipeline, then the summary line on stdout.
import { checkCoverageInput } from '../coverage/input.js';
import { refuseLockedFolder } from '../output/lock.js';
import { checkOutputFolder } from '../output/location.js';
import { reasonLines, summaryLine } from '../output/summary.js';
import type { SampleOptions } from '../pipeline/sample.js';
import { checkSetupInputs, prepareCall, type SetupOptions } from '../pipeline/setup.js';

export interface CallOptions extends SetupOptions, SampleOptions {
  json: boolean;
}

export async function runCall(bamPath: string, options: CallOptions): Promise<void> {
  // Inputs and the output folder are checked before any work; no result may replace an input.
  const inputs = checkSetupInputs(options);
  checkCoverageInput(bamPath, inputs);
  checkOutputFolder(options.out);
  refuseLockedFolder(options.out);
  // The calling code is loaded once the run is known to go ahead: a refusal above answers without it.
  const [setup, { callSample }] = await Promise.all([prepareCall(options), import('../pipeline/sample.js')]);
  for (const w of setup.warnings) process.stderr.write(`her2cn: warning: ${w}\n`);
  const outcome = await callSample(bamPath, setup, options, line => process.stderr.write(line + '\n'), inputs);
  if (options.json) process.stdout.write(outcome.json);
  else process.stdout.write(summaryLine(outcome.result) + '\n');
  for (const line of reasonLines(outcome.result)) process.stderr.write(line + '\n');
}
