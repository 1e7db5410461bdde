// Errors a user can act on: their message is one line naming the file and
// the problem, printed as is, with a non-zero exit code.
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

/** Exit codes: 0 result written, 1 bad input or failed run, 2 bad command line. */
export const EXIT_INPUT = 1;
export const EXIT_USAGE = 2;

export function isUserError(e: unknown): e is Error {
  return e instanceof BamInputError || e instanceof BgzfFormatError || e instanceof PanelError || e instanceof UsageError || e instanceof PonError || e instanceof PonBuildError || e instanceof InputError || e instanceof TruthError || e instanceof ResultsError || e instanceof OutputError;
}

export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
