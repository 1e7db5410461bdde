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
 * other lost without a word. Values are compared as the option parses them
 * (0.3 and .3, -F 3844 and 0xF04, 2+ and "2 +" are one value, taken once);
 * an old spelling and the new one are one option, named by the new one.
 * Each of `commands` is checked before its action runs.
 */
export function refuseConflictingRepeats(commands: readonly CommandUnknownOpts[]): void {
  for (const command of commands) {
    const options = command.options as readonly Option[];
    // Each attribute's name as --help shows it (an old spelling is hidden).
    const shown = new Map<string, string>();
    for (const o of options) if (!o.hidden && !shown.has(o.attributeName())) shown.set(o.attributeName(), o.long ?? o.flags);
    const given = new Map<string, { typed: string[]; parsed: string[] }>();
    for (const option of options) {
      if (option.isBoolean() || option.variadic) continue;
      const key = option.attributeName();
      const parse = option.parseArg;
      // Wrapped, so each value is seen once, as parsed, with no second run of its checks or warnings.
      option.parseArg = (<T>(value: string, previous: T): T => {
        const parsed = parse ? parse(value, previous) : (value as T);
        const seen = given.get(key) ?? { typed: [], parsed: [] };
        seen.typed.push(value);
        seen.parsed.push(JSON.stringify(parsed));
        given.set(key, seen);
        return parsed;
      }) as Option['parseArg'];
    }
    command.hook('preAction', () => {
      for (const [key, { typed, parsed }] of given) {
        const distinct = [...new Set(parsed)].map(p => typed[parsed.indexOf(p)]);
        if (distinct.length < 2) continue;
        const times = typed.length === 2 ? 'twice' : `${typed.length} times`;
        // Control characters shown escaped, so the error stays one line.
        const quoted = distinct.map(v => `'${v.replace(/[\x00-\x1f\x7f]/g, c => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`);
        command.error(`error: ${shown.get(key) ?? key} given ${times} with different values (${quoted.join(', ')}): give it once`, { exitCode: 2, code: 'her2cn.conflictingRepeat' });
      }
    });
  }
}
