// `her2cn batch`: calls a cohort listed in a samples table, several samples
// at once on worker threads, each with `callSample` (the same function
// `her2cn call` runs), then writes cohort.tsv, cohort.plot.svg/.png and
// her2cn_mqc.json (for MultiQC).
// Samples whose results are complete for the same inputs are reused; a
// sample that fails is reported and the others go on.
import { mkdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import cliProgress from 'cli-progress';
import { formatCohortTable, type CohortEntry } from '../batch/cohort.js';
import { parseResult } from '../result/read.js';
import type { Her2cnResult } from '../result/schema.js';
import { completeResult, sampleInputs, setAsideEarlierResult, type SharedInputs, sharedInputs, STATE_DIR } from '../batch/resume.js';
import { readSamples, type SampleRow } from '../batch/samples.js';
import type { Job, JobResult, WorkerData } from '../batch/worker.js';
import type { QcLimits } from '../call/qc.js';
import { defaultThreads } from '../coverage/engine.js';
import { cohortPlotSvg } from '../output/cohort-plot.js';
import { formatMultiqc, MULTIQC_FILE } from '../output/multiqc.js';
import { removeMadeFolders, RUN_MARK, writeFailure, writeFilesAtomic } from '../output/files.js';
import { lockFolder } from '../output/lock.js';
import { checkOutputFolder, refuseOverwritingInputs } from '../output/location.js';
import { checkCoverageInput } from '../coverage/input.js';
import { InputFiles } from '../util/input-files.js';
import { maxThreads } from './options.js';
import { svgToPng } from '../output/png.js';
import { failedSummaryLine, reasonLines, summaryLine } from '../output/summary.js';
import { resultFileNames } from '../pipeline/sample.js';
import { type CallSetup, checkSetupInputs, prepareCall, type SetupOptions } from '../pipeline/setup.js';
import { EXIT_INPUT, EXIT_INTERNAL, Her2cnError } from '../errors/errors.js';

export interface BatchOptions extends SetupOptions {
  threshold: number;
  purityTolerance: number;
  out: string;
  qc: QcLimits;
  /** At most this many samples at once; default the number of CPUs. */
  jobs?: number;
  /** Threads reading each BAM; default the cores left to each job (at most 8, at least 1). */
  threads?: number;
  /** Also write each sample's VCF bgzipped with its tabix index. */
  vcfGz?: boolean;
  version: string;
}

export const COHORT_FILES = ['cohort.tsv', 'cohort.plot.svg', 'cohort.plot.png', MULTIQC_FILE];

/** A sample's result, read once through the schema (reused or computed), or its error. */
type Outcome = { ok: true; result: Her2cnResult } | { ok: false; error: string; exitCode: number };

export async function runBatch(samplesPath: string, options: BatchOptions): Promise<void> {
  const { rows, warnings } = readSamples(samplesPath);
  // Inputs and the output folder are checked before any sample runs; no output may replace an input.
  const inputs = checkSetupInputs(options);
  inputs.add(samplesPath, 'samples table');
  for (const row of rows) rememberCoverageInput(row.bam, inputs);
  checkOutputFolder(options.out);
  refuseOverwritingInputs(options.out, [...COHORT_FILES, ...rows.flatMap(row => [...resultFileNames(row.stem, options.vcfGz), join(STATE_DIR, `${row.stem}.json`)])], inputs);
  const setup = await prepareCall(options);
  for (const w of setup.warnings) process.stderr.write(`her2cn: warning: ${w}\n`);
  const shared = sharedInputs(options);
  const log = new Progress(rows.length);
  // the output folder is made, and held against other runs, before any sample runs
  let made: string | undefined;
  try {
    made = mkdirSync(options.out, { recursive: true });
  } catch (e) {
    throw writeFailure(e, options.out, 'nothing was run');
  }
  try {
    const lock = lockFolder(options.out, 'batch', line => log.line(line));
    try {
      await runLocked(samplesPath, options, rows, warnings, setup, shared, log);
    } finally {
      lock.release();
    }
  } catch (e) {
    // a folder made for this run is not left behind empty (a fault before any sample was written)
    removeMadeFolders(options.out, made);
    throw e;
  }
}

/**
 * Remembers a coverage input of the table, so no output replaces it. One
 * that is missing or not a regular file (a folder, a pipe) is left to fail
 * its own sample, at once, as any unusable BAM does: the others go on.
 */
function rememberCoverageInput(path: string, inputs: InputFiles): void {
  try {
    checkCoverageInput(path, inputs);
  } catch {
    // reported by the sample's own run
  }
}

// Long by design: the run in order (reuse, compute on workers, cohort files, exit code), as a user reads it in the docs.
async function runLocked(
  samplesPath: string,
  options: BatchOptions,
  rows: SampleRow[],
  warnings: string[],
  setup: CallSetup,
  shared: SharedInputs,
  log: Progress,
): Promise<void> {
  for (const w of warnings) log.line(`her2cn: warning: ${w}`);

  const outcomes: (Outcome | undefined)[] = rows.map(() => undefined);
  const printer = new OrderedPrinter(rows, outcomes);
  const jobs: Job[] = [];
  rows.forEach((row, index) => {
    const inputs = sampleInputs(row, shared);
    const done = completeResult(options.out, row.stem, resultFileNames(row.stem, options.vcfGz), row.sample, inputs);
    if ('json' in done) {
      outcomes[index] = { ok: true, result: parseResult(done.json, join(options.out, `${row.stem}.her2cn.json`)) };
      log.reused(row.sample);
    } else {
      jobs.push({ index, sample: row.sample, bam: row.bam, purity: row.purity, ihc: row.ihc, specimen: row.specimen, inputs });
    }
  });
  if (jobs.length < rows.length) log.line(`her2cn: ${rows.length - jobs.length} of ${rows.length} samples complete for the same inputs; reused, not recomputed`);
  printer.flush();
  // The cohort files summarise the samples' files and are made last: while samples are redone they would no
  // longer agree with them, so they go first, and a run killed before its end leaves none rather than stale ones.
  if (jobs.length > 0) for (const f of COHORT_FILES) rmSync(join(options.out, f), { force: true });

  // By default, as many samples at once as cores, fewer when each is given several threads: at most maxThreads() threads in all.
  const threads = Math.max(1, Math.min(options.jobs ?? Math.min(availableParallelism(), Math.floor(maxThreads() / (options.threads ?? 1))), jobs.length));
  // the machine's cores shared out between the samples running at once
  const readThreads = options.threads ?? Math.max(1, Math.floor(defaultThreads() / threads));
  const workerData: WorkerData = {
    runMark: RUN_MARK,
    setup,
    common: { threshold: options.threshold, purityTolerance: options.purityTolerance, out: options.out, qc: options.qc, version: options.version, threads: readThreads, vcfGz: options.vcfGz, sampleOption: `the sample column of ${samplesPath}` },
  };
  log.start(jobs.length);
  // A write that fails (a full disk, a read-only mount) fails every sample after it: the run stops, starting no more samples.
  let fault: Her2cnError | undefined;
  await runPool(jobs, threads, workerData, r => {
    const row = rows[r.index];
    for (const w of r.warnings) log.line(w);
    if (!r.ok && r.writeFailed) {
      fault ??= new Her2cnError('output', `${r.error}; the batch stopped (the samples written before stay; run the same command again once the fault is fixed)`, options.out);
      return false;
    }
    if (r.ok) {
      const doc = parseResult(r.json, join(options.out, `${row.stem}.her2cn.json`));
      outcomes[r.index] = { ok: true, result: doc };
      for (const line of reasonLines(doc)) log.line(line);
      log.finished(`${row.sample}: ${doc.call}`);
    } else {
      outcomes[r.index] = { ok: false, error: r.error, exitCode: r.exitCode };
      log.line(r.exitCode === EXIT_INTERNAL ? `her2cn: ${row.sample}: internal error: ${r.detail}` : `her2cn: ${row.sample}: error: ${r.error}`);
      const aside = setAsideEarlierResult(options.out, row.stem, row.sample, resultFileNames(row.stem, true));
      if (aside) log.line(`her2cn: ${row.sample}: the files of its earlier result (other inputs) were moved to ${aside}`);
      log.finished(`${row.sample}: failed`);
    }
    printer.flush();
    return true;
  });
  log.stop();
  printer.flush(true);
  if (fault) throw fault;

  const entries: CohortEntry[] = rows.map((row, i) => {
    const o = outcomes[i]!;
    return o.ok ? { sample: row.sample, bam: row.bam, status: 'ok', result: o.result } : { sample: row.sample, bam: row.bam, status: 'error', error: o.error };
  });
  const plot = cohortPlotSvg(
    entries.map(e =>
      e.status === 'ok'
        ? { sample: e.sample, call: e.result.call, assessment: e.result.assessment.status, log2: e.result.log2, ci95: e.result.ci95 }
        : { sample: e.sample, call: 'error', assessment: null, log2: null, ci95: null },
    ),
    options.threshold,
  );
  writeFilesAtomic(options.out, [
    ['cohort.tsv', formatCohortTable(entries)],
    ['cohort.plot.svg', plot],
    ['cohort.plot.png', await svgToPng(plot)],
    [MULTIQC_FILE, formatMultiqc(entries, options.version)],
  ]);

  const failed = rows.filter((_, i) => !outcomes[i]!.ok);
  if (failed.length > 0) {
    const code = outcomes.some(o => o && !o.ok && o.exitCode === EXIT_INTERNAL) ? EXIT_INTERNAL : EXIT_INPUT;
    const names = failed.map(r => r.sample);
    throw new Her2cnError(
      'input',
      `${samplesPath}: ${failed.length} of ${rows.length} samples failed (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}); each error is in ${join(options.out, 'cohort.tsv')}, the other samples' results are written`,
      samplesPath,
      code,
    );
  }
}

/**
 * Runs the jobs on at most `threads` worker threads, each taking the next
 * job when it is done. A worker that dies (a crash, not a failed sample)
 * fails its sample as an internal error and is replaced.
 */
function runPool(jobs: Job[], threads: number, workerData: WorkerData, onResult: (r: JobResult) => boolean): Promise<void> {
  return new Promise(resolve => {
    if (jobs.length === 0) return resolve();
    let next = 0;
    let stopped = false;
    let live = 0;
    const start = () => {
      live++;
      const worker = new Worker(new URL('../batch/worker.js', import.meta.url), { workerData });
      let current: Job | undefined;
      const feed = () => {
        current = !stopped && next < jobs.length ? jobs[next++] : undefined;
        worker.postMessage(current ?? null);
      };
      const lost = (why: string) => {
        if (!current) return;
        const job = current;
        current = undefined;
        if (!onResult({ index: job.index, ok: false, error: `internal error: ${why}`, exitCode: EXIT_INTERNAL, detail: why, warnings: [], kind: 'internal', writeFailed: false })) stopped = true;
      };
      worker.on('message', (r: JobResult) => {
        current = undefined;
        if (!onResult(r)) stopped = true;
        feed();
      });
      worker.on('error', e => lost(`the worker thread stopped: ${String(e?.stack ?? e).replace(/\s*\n\s*/g, ' ')}`));
      worker.on('exit', code => {
        lost(`the worker thread exited with code ${code}`);
        live--;
        if (!stopped && next < jobs.length) start();
        else if (live === 0) resolve();
      });
      feed();
    };
    for (let i = 0; i < threads; i++) start();
  });
}

/**
 * stdout gets one summary line per sample in the order of the table, as
 * soon as the samples before it are done, so the output is the same
 * whatever order the threads finish in. A failed sample's line says
 * `error` where the call would be.
 */
class OrderedPrinter {
  private printed = 0;
  private held: string[] = [];
  /** Lines are held back while a progress bar is drawn on the same terminal. */
  private readonly hold: boolean;

  /** Set when the reader of stdout went away (`| head`): the samples' files are what matters, so the run goes on. */
  private closed = false;

  constructor(
    private readonly rows: SampleRow[],
    private readonly outcomes: (Outcome | undefined)[],
  ) {
    this.hold = Progress.bar() && process.stdout.isTTY === true;
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      this.closed = true;
    });
  }

  flush(final = false): void {
    while (this.printed < this.rows.length && this.outcomes[this.printed]) {
      const o = this.outcomes[this.printed]!;
      const sample = this.rows[this.printed].sample;
      this.held.push(
        o.ok ? summaryLine(o.result) : failedSummaryLine(sample),
      );
      this.printed++;
    }
    if (!this.hold || final) {
      if (this.held.length > 0 && !this.closed) process.stdout.write(this.held.join('\n') + '\n');
      this.held = [];
    }
  }
}

/**
 * Progress on stderr: a bar (cli-progress) when stderr is a terminal; else
 * one line per finished sample, so logs of pipelines stay readable.
 */
class Progress {
  private multi?: cliProgress.MultiBar;
  private bar?: cliProgress.SingleBar;
  private done = 0;
  private total = 0;

  constructor(private readonly samples: number) {}

  static bar(): boolean {
    return process.stderr.isTTY === true;
  }

  start(toCompute: number): void {
    this.total = toCompute;
    if (!Progress.bar() || toCompute === 0) return;
    this.multi = new cliProgress.MultiBar(
      {
        format: 'her2cn batch [{bar}] {value}/{total} samples | {duration_formatted} | ETA {eta_formatted} | {last}',
        // the cursor is left visible: a run stopped with Ctrl-C must not leave the terminal without one
        hideCursor: false,
        clearOnComplete: false,
        stopOnComplete: false,
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar = this.multi.create(toCompute, 0, { last: `${this.samples - toCompute} reused` });
  }

  reused(sample: string): void {
    this.line(`her2cn: ${sample}: results complete for the same inputs; reused`);
  }

  line(text: string): void {
    if (this.multi) this.multi.log(text + '\n');
    else process.stderr.write(text + '\n');
  }

  finished(what: string): void {
    this.done++;
    if (this.bar) this.bar.increment(1, { last: what });
    else process.stderr.write(`her2cn: [${this.done}/${this.total}] ${what}\n`);
  }

  stop(): void {
    this.multi?.stop();
    this.multi = undefined;
    this.bar = undefined;
  }
}
