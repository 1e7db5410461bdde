// The her2cn command line. stdout carries results only; progress, warnings
// and errors go to stderr as single lines.
import { Command, CommanderError, Option } from '@commander-js/extra-typings';
import { runCoverage } from './coverage-command.js';
import { DEFAULT_PANEL } from './defaults.js';
import { EXIT_INPUT, EXIT_USAGE, isUserError, oneLine } from './errors.js';
import { flagMask, wholeNumber } from './options.js';
import { VERSION } from './version.js';

const program = new Command('her2cn')
  .description('ERBB2 (HER2) amplification from hybrid-capture panel sequencing')
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

program
  .command('coverage')
  .description('per-probe mean depth and read count of a BAM over the panel\'s capture probes')
  .argument('<bam>', 'coordinate-sorted, indexed BAM')
  .addOption(new Option('--panel <bed>', 'capture panel BED').default(DEFAULT_PANEL, 'the embedded GRCh38 demo panel'))
  .addOption(new Option('--min-mapq <n>', 'skip reads with mapping quality below n').argParser(wholeNumber(0, 255)).default(20))
  .addOption(
    new Option('--exclude-flags <mask>', 'skip reads with any of these SAM flag bits (unmapped, secondary, QC-fail, duplicate, supplementary)')
      .argParser(flagMask)
      .default(3844),
  )
  .option('--gene-pattern <regex>', 'regular expression whose first group is the gene in the BED name column (default: the name up to the first _ ; | , or :)')
  .option('-o, --output <tsv>', 'write the table here instead of stdout')
  .action(async (bam, opts) => {
    await runCoverage(bam, opts);
  });

async function main(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (isUserError(e)) {
      process.stderr.write(`her2cn: error: ${oneLine(e.message)}\n`);
      return EXIT_INPUT;
    }
    const err = e as NodeJS.ErrnoException;
    if (err && typeof err.code === 'string' && typeof err.path === 'string') {
      process.stderr.write(`her2cn: error: ${err.path}: ${err.code} (${oneLine(err.message)})\n`);
      return EXIT_INPUT;
    }
    process.stderr.write(`her2cn: internal error: ${oneLine(String((e as Error)?.stack ?? e))}\n`);
    return 3;
  }
}

process.exitCode = await main(process.argv);
