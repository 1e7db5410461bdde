// One option vocabulary across the commands, in samtools' and mosdepth's
// words: -o/--out, -t/--threads, -Q/--min-mapq, -F/--exclude-flags. Old
// spellings stay for one release with a warning, so pipelines written
// against them keep running while they are changed; --help says which
// options a command cannot run without.
import { type CommandUnknownOpts, Help, InvalidArgumentError, Option } from '@commander-js/extra-typings';

/** Where a deprecation warning goes: stderr, one line, like every warning. */
type Warn = (line: string) => void;
const toStderr: Warn = line => process.stderr.write(line + '\n');

/**
 * An old spelling of an option, hidden from --help: its value is stored as
 * the new option's (`attribute`, the new option's attribute name, e.g. `out`
 * for -o/--out), after `parse` (the new option's check), with a one-line
 * warning naming the new spelling. `choices` checks the value as
 * Option.choices would.
 */
export function deprecatedSpelling(
  flags: string,
  attribute: string,
  replacement: string,
  options: { parse?: (value: string) => string; choices?: readonly string[]; warn?: Warn } = {},
) {
  const option = new Option(flags).hideHelp();
  const old = option.long ?? flags;
  const warn = options.warn ?? toStderr;
  option.argParser((value: string): string => {
    warn(`her2cn: warning: ${old} is deprecated and goes in the next release; use ${replacement}`);
    if (options.choices && !options.choices.includes(value)) throw new InvalidArgumentError(`Allowed choices are ${options.choices.join(', ')}.`);
    return options.parse ? options.parse(value) : value;
  });
  // Stored under the new option's name, so required-option checks and the
  // command's code see one value whichever spelling was given.
  option.attributeName = () => attribute;
  return option;
}

/**
 * --help that marks the options a command cannot run without, as samtools
 * and mosdepth usage lines do by listing them outside the brackets.
 */
export const markRequiredOptions = {
  optionDescription(this: Help, option: Option): string {
    const text = Help.prototype.optionDescription.call(this, option);
    return option.mandatory ? `${text} (required)` : text;
  },
};

/**
 * Refuses an option given twice with different values (`--purity 0.3 …
 * --purity 0.6`, or `-o a --output b`): the last would be taken and the
 * other lost without a word. Given twice alike, it is taken once. Counted
 * by the option's attribute, so an old spelling and the new one are one
 * option; each of `commands` is checked before its action runs.
 */
export function refuseConflictingRepeats(commands: readonly CommandUnknownOpts[]): void {
  for (const command of commands) {
    const given = new Map<string, { flag: string; values: string[] }>();
    for (const option of command.options as readonly Option[]) {
      if (option.isBoolean() || option.variadic) continue;
      const flag = option.long ?? option.flags;
      command.on(`option:${option.name()}`, (value: string) => {
        const key = option.attributeName();
        const seen = given.get(key) ?? { flag, values: [] };
        seen.values.push(value);
        given.set(key, seen);
      });
    }
    command.hook('preAction', () => {
      for (const { flag, values } of given.values()) {
        const distinct = [...new Set(values)];
        if (distinct.length > 1) {
          const times = values.length === 2 ? 'twice' : `${values.length} times`;
          command.error(`error: ${flag} given ${times} with different values (${distinct.map(v => `'${v}'`).join(', ')}): give it once`, { exitCode: 2, code: 'her2cn.conflictingRepeat' });
        }
      }
    });
  }
}
