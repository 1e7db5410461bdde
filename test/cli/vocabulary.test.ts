// The option vocabulary's parts, on small commands built as src/cli/main.ts
// builds its own: old spellings land in the new option's value with one
// warning, and --help marks required options.
import { Command, CommanderError, Option } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import { flagMask, nonEmpty } from '../../src/cli/options.js';
import { deprecatedSpelling, markRequiredOptions, refuseConflictingRepeats } from '../../src/cli/vocabulary.js';

function ponLike(warnings: string[]) {
  return new Command('pon')
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} })
    .configureHelp(markRequiredOptions)
    .argument('<normal.bam...>')
    .addOption(new Option('-o, --out <pon.json>', 'panel of normals file to write').argParser(nonEmpty).makeOptionMandatory())
    .addOption(new Option('--panel <bed>', 'capture panel BED'))
    .addOption(deprecatedSpelling('--output <path>', 'out', '-o/--out', { parse: nonEmpty, warn: line => warnings.push(line) }));
}

function validateLike(warnings: string[]) {
  return new Command('validate')
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} })
    .addOption(new Option('--against <test>').choices(['fish', 'ihc']).default('fish'))
    .addOption(deprecatedSpelling('--reference <test>', 'against', '--against', { choices: ['fish', 'ihc'], warn: line => warnings.push(line) }));
}

describe('old spellings of options', () => {
  it('--output fills -o/--out, satisfies its being required, and warns once, naming the new spelling', () => {
    const warnings: string[] = [];
    const cmd = ponLike(warnings).parse(['N01.bam', '--output', 'pon.json'], { from: 'user' });
    expect(cmd.opts().out).toBe('pon.json');
    expect(warnings).toEqual(['her2cn: warning: --output is deprecated and goes in the next release; use -o/--out']);
    for (const args of [['N01.bam', '--output=p.json'], ['--output', 'p.json', 'N01.bam']]) {
      expect(ponLike([]).parse(args, { from: 'user' }).opts().out).toBe('p.json');
    }
  });

  it('the new spelling gives no warning, and the old one is checked as the new one is', () => {
    const warnings: string[] = [];
    expect(ponLike(warnings).parse(['N01.bam', '-o', 'pon.json'], { from: 'user' }).opts().out).toBe('pon.json');
    expect(warnings).toEqual([]);
    expect(() => ponLike([]).parse(['N01.bam', '--output', ' '], { from: 'user' })).toThrow(/expected a name, got an empty one/);
    const missing = (() => {
      try {
        ponLike([]).parse(['N01.bam'], { from: 'user' });
      } catch (e) {
        return e;
      }
    })();
    expect(missing).toBeInstanceOf(CommanderError);
    expect((missing as CommanderError).message).toMatch(/required option '-o, --out <pon.json>' not specified/);
  });

  it('validate --reference fills --against, with its choices', () => {
    const warnings: string[] = [];
    expect(validateLike(warnings).parse(['--reference', 'ihc'], { from: 'user' }).opts().against).toBe('ihc');
    expect(warnings).toEqual(['her2cn: warning: --reference is deprecated and goes in the next release; use --against']);
    expect(validateLike([]).parse([], { from: 'user' }).opts().against).toBe('fish');
    expect(() => validateLike([]).parse(['--reference', 'pcr'], { from: 'user' })).toThrow(/Allowed choices are fish, ihc/);
  });
});

describe('an option given twice', () => {
  /** ponLike with --threads and an action, guarded; the error thrown by parsing `args`, or undefined. */
  function parseGuarded(args: string[]): { error?: CommanderError; out?: string } {
    const cmd = ponLike([])
      .addOption(new Option('-t, --threads <n>'))
      .addOption(new Option('-F, --exclude-flags <mask>').argParser(flagMask))
      .addOption(new Option('--json'))
      .action(() => {});
    refuseConflictingRepeats([cmd]);
    try {
      cmd.parse(args, { from: 'user' });
      return { out: cmd.opts().out };
    } catch (e) {
      return { error: e as CommanderError };
    }
  }

  it('is refused with different values, naming the option and both values, as a usage error', () => {
    for (const args of [
      ['N01.bam', '-o', 'a.json', '-o', 'b.json'],
      ['N01.bam', '--out=a.json', '--out', 'b.json'],
      ['N01.bam', '-o', 'a.json', '--output', 'b.json'], // an old spelling is the same option,
      ['N01.bam', '--output', 'a.json', '-o', 'b.json'], // named by the new one whichever comes first
    ]) {
      const { error } = parseGuarded(args);
      expect(error, args.join(' ')).toBeInstanceOf(CommanderError);
      expect(error!.exitCode).toBe(2);
      expect(error!.message).toBe("error: --out given twice with different values ('a.json', 'b.json'): give it once");
    }
    expect(parseGuarded(['N01.bam', '-o', 'a.json', '-t', '2', '-t', '4', '-t', '2']).error!.message).toBe("error: --threads given 3 times with different values ('2', '4'): give it once");
  });

  it('is taken once when the values agree as the option parses them, and a flag may be repeated', () => {
    expect(parseGuarded(['N01.bam', '-o', 'a.json', '--out', 'a.json', '--json', '--json'])).toEqual({ out: 'a.json' });
    expect(parseGuarded(['N01.bam', '-o', 'a.json', '-t', '2'])).toEqual({ out: 'a.json' });
    // one mask written two ways
    expect(parseGuarded(['N01.bam', '-o', 'a.json', '-F', '3844', '-F', '0xF04'])).toEqual({ out: 'a.json' });
    expect(parseGuarded(['N01.bam', '-o', 'a.json', '-F', '3844', '-F', '0xF00']).error!.message).toBe("error: --exclude-flags given twice with different values ('3844', '0xF00'): give it once");
  });

  it('keeps its error on one line whatever the values hold', () => {
    expect(parseGuarded(['N01.bam', '-o', 'a\nb', '-o', 'c']).error!.message).toBe("error: --out given twice with different values ('a\\x0ab', 'c'): give it once");
  });
});

describe('--help', () => {
  it('marks required options, and only those, and hides old spellings', () => {
    const help = ponLike([]).helpInformation();
    expect(help).toMatch(/-o, --out <pon\.json>\s+panel of normals file to write \(required\)/);
    expect(help).toMatch(/--panel <bed>\s+capture panel BED\n/);
    expect(help).not.toMatch(/--output/);
  });
});

describe('SAM flag masks', () => {
  it('takes decimal and hexadecimal masks of SAM\'s 12 flag bits, and refuses more', () => {
    expect(flagMask('3844')).toBe(3844);
    expect(flagMask('0xF04')).toBe(3844);
    expect(flagMask('4095')).toBe(4095);
    expect(() => flagMask('0x1000')).toThrow(/from 0 to 4095/);
    expect(() => flagMask('65535')).toThrow(/from 0 to 4095/);
  });
});
