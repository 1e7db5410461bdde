// One error type for everything her2cn reports to a user. The kind decides
// the exit code; the message is one line naming the file and the problem.

/**
 * usage: the command line is wrong (exit 2); input: a file or value given to
 * her2cn cannot be used (exit 1); output: a result could not be written
 * (exit 1); internal: a fault of her2cn itself (exit 3).
 */
export type ErrorKind = 'usage' | 'input' | 'output' | 'internal';

export class Her2cnError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** The file the error concerns, when there is one. */
    readonly file?: string,
    /** Exit code when it differs from the kind's (a batch with failed samples). */
    readonly exitCodeOverride?: number,
  ) {
    super(message);
    this.name = 'Her2cnError';
  }
}

/** Exit codes: 0 result written, 1 bad input or failed run, 2 bad command line, 3 internal error. */
export const EXIT_INPUT = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;

const EXIT_CODE: Record<ErrorKind, number> = { usage: EXIT_USAGE, input: EXIT_INPUT, output: EXIT_INPUT, internal: EXIT_INTERNAL };

/** An input error whose message names the file: `<file>: <problem>`. */
export function inputError(file: string, problem: string): Her2cnError {
  return new Her2cnError('input', `${file}: ${problem}`, file);
}

export function isUserError(e: unknown): e is Her2cnError {
  return e instanceof Her2cnError && e.kind !== 'internal';
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
  if (isUserError(e)) {
    const message = oneLine(e.message);
    return { message, exitCode: e.exitCodeOverride ?? EXIT_CODE[e.kind], detail: message };
  }
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && typeof err.path === 'string') {
    const message = `${err.path}: ${err.code} (${oneLine(err.message)})`;
    return { message, exitCode: EXIT_INPUT, detail: message };
  }
  // A file system's refusal that no stage named a file for (a full disk on a write): still one line, exit 1.
  if (err && typeof err.code === 'string' && /^E(NOSPC|DQUOT|ROFS|ACCES|PERM|IO|MFILE|NFILE)$/.test(err.code)) {
    const message = `${err.code} (${oneLine(err.message)})`;
    return { message, exitCode: EXIT_INPUT, detail: message };
  }
  return { message: `internal error: ${oneLine(String((e as Error)?.message ?? e))}`, exitCode: EXIT_INTERNAL, detail: oneLine(String((e as Error)?.stack ?? e)) };
}
