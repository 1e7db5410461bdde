// A worker thread of `her2cn batch`: calls the samples it is sent, one at a
// time, with `callSample` (the same function `her2cn call` runs), records
// each finished sample's inputs for resuming, and answers with the result
// JSON or the error.
import { parentPort, workerData } from 'node:worker_threads';
import { callSample, type SampleOptions } from '../pipeline/sample.js';
import type { CallSetup } from '../pipeline/setup.js';
import type { IhcScore } from '../clinical/ihc.js';
import type { Specimen } from '../result/schema.js';
import { describeError, type ErrorKind, isUserError } from '../errors/errors.js';
import { recordedSample, writeSampleState } from './resume.js';
import { safeFileStem } from '../output/names.js';
import { WriteFailure } from '../output/files.js';

export interface WorkerData {
  /** The process's mark for temporary files (read by output/files.ts). */
  runMark: string;
  setup: CallSetup;
  common: Omit<SampleOptions, 'sample' | 'purity' | 'ihc' | 'specimen'>;
}

export interface Job {
  index: number;
  sample: string;
  bam: string;
  purity?: number;
  ihc?: IhcScore;
  specimen?: Specimen;
  inputs: Record<string, unknown>;
}

export type JobResult =
  | { index: number; ok: true; json: string; warnings: string[] }
  | { index: number; ok: false; error: string; exitCode: number; detail: string; warnings: string[]; kind: ErrorKind; writeFailed: boolean };

const { setup, common } = workerData as WorkerData;
const port = parentPort!;

port.on('message', async (job: Job | null) => {
  if (job === null) {
    port.close();
    return;
  }
  const warnings: string[] = [];
  let answer: JobResult;
  try {
    // Files batch recorded writing for this very sample are its own: a damaged result among them is redone, not refused.
    const own = recordedSample(common.out, safeFileStem(job.sample)) === job.sample;
    const outcome = await callSample(job.bam, setup, { ...common, sample: job.sample, purity: job.purity, ihc: job.ihc, specimen: job.specimen, ownResultFiles: own }, (line, kind) => {
      if (kind === 'warning') warnings.push(line);
    });
    // Written after the six files are in place: a run killed before this line leaves the sample to be redone.
    writeSampleState(common.out, outcome.stem, job.inputs, outcome.files);
    answer = { index: job.index, ok: true, json: outcome.json, warnings };
  } catch (e) {
    const { message, exitCode, detail } = describeError(e);
    answer = { index: job.index, ok: false, error: message, exitCode, detail, warnings, kind: isUserError(e) ? e.kind : 'internal', writeFailed: e instanceof WriteFailure };
  }
  port.postMessage(answer);
});
