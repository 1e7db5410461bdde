// `her2cn call`: the ERBB2 call for one tumour: the run's setup, then the
// per-sample pipeline, then the summary line on stdout.
import { reasonLines, summaryLine } from '../output/summary.js';
import { callSample, type SampleOptions } from '../pipeline/sample.js';
import { prepareCall, type SetupOptions } from '../pipeline/setup.js';

export interface CallOptions extends SetupOptions, SampleOptions {
  json: boolean;
}

export async function runCall(bamPath: string, options: CallOptions): Promise<void> {
  const setup = await prepareCall(options);
  const outcome = await callSample(bamPath, setup, options, line => process.stderr.write(line + '\n'));
  if (options.json) process.stdout.write(outcome.json);
  else process.stdout.write(summaryLine(outcome.result) + '\n');
  for (const line of reasonLines(outcome.result)) process.stderr.write(line + '\n');
}
