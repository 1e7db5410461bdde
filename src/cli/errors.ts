// Errors a user can act on: their message is one line naming the file and
// the problem, printed as is, with a non-zero exit code.
import { SamplesTableError } from '../batch/samples.js';
import { BamInputError } from '../coverage/bam.js';
import { BgzfFormatError } from '../coverage/bgzf-reader.js';
import { OutputError } from '../output/files.js';
import { PanelError } from '../panel/bed.js';
import { PonBuildError } from '../pon/build.js';
import { PonError } from '../pon/file.js';
import { ResultsError } from '../validate/results.js';
import { TruthError } from '../validate/truth.js';

export class UsageError extends Error {}

/** A problem with the inputs found by a command (mismatched panel, build, ...). */
export class InputError extends Error {}

/** Exit codes: 0 result written, 1 bad input or failed run, 2 bad command line, 3 internal error. */
export const EXIT_INPUT = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;

/** A run that wrote what it could but not every result (some samples of a batch failed); carries its exit code. */
export class IncompleteRunError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export function isUserError(e: unknown): e is Error {
  return e instanceof BamInputError || e instanceof BgzfFormatError || e instanceof PanelError || e instanceof UsageError || e instanceof PonError || e instanceof PonBuildError || e instanceof InputError || e instanceof TruthError || e instanceof ResultsError || e instanceof OutputError || e instanceof SamplesTableError;
}

export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * How an error is reported: one line (without the leading 'her2cn: error: ')
 * and the exit code. An internal error's line is its message; `detail` adds
 * the stack for stderr.
 */
export function describeError(e: unknown): { message: string; exitCode: number; detail: string } {
  if (e instanceof UsageError) return { message: oneLine(e.message), exitCode: EXIT_USAGE, detail: oneLine(e.message) };
  if (isUserError(e)) return { message: oneLine(e.message), exitCode: EXIT_INPUT, detail: oneLine(e.message) };
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && typeof err.path === 'string') {
    const message = `${err.path}: ${err.code} (${oneLine(err.message)})`;
    return { message, exitCode: EXIT_INPUT, detail: message };
  }
  return { message: `internal error: ${oneLine(String((e as Error)?.message ?? e))}`, exitCode: EXIT_INTERNAL, detail: oneLine(String((e as Error)?.stack ?? e)) };
}
