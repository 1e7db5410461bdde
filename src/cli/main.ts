// The her2cn command line. stdout carries results only; progress, warnings
// and errors go to stderr as single lines. Each command's module (and the
// libraries under it) is loaded when the command runs, so start-up loads
// only the options.
import { DEFAULT_QC, DEFAULT_THRESHOLD, MIN_PURITY, PURITY_TOLERANCE, THRESHOLD_RANGE } from '../call/limits.js';
import { DEFAULT_FILTER, defaultThreads } from '../coverage/defaults.js';
import { Command, CommanderError, Option } from '@commander-js/extra-typings';
import { DEFAULT_PANEL, DEFAULT_PON } from '../pipeline/shipped.js';
import { describeError, EXIT_INTERNAL, EXIT_USAGE, Her2cnError, isUserError } from '../errors/errors.js';
import { availableParallelism } from 'node:os';
import { decimal, flagMask, ihcScore, maxThreads, nonEmpty, specimenField, threadCount, wholeNumber } from './options.js';
import { specimenFrom } from '../clinical/specimen.js';
import { VERSION } from './version.js';
import { deprecatedSpelling, markRequiredOptions, refuseConflictingRepeats } from './vocabulary.js';

const program = new Command('her2cn')
  .description('ERBB2 (HER2) amplification from hybrid-capture panel sequencing')
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .configureHelp(markRequiredOptions)
  .exitOverride();

const panelOption = () => new Option('--panel <bed>', 'capture panel BED').default(DEFAULT_PANEL, 'the embedded GRCh38 demo panel');
const threadsOption = () =>
  new Option('-t, --threads <n>', `threads reading the BAM, 1 to ${maxThreads()} (results do not depend on it)`).argParser(threadCount).default(defaultThreads(), "the machine's cores, at most 8");
const referenceOption = (defaultsToFasta: boolean) =>
  new Option(
    '-T, --reference <ref.fa>',
    `indexed reference FASTA a CRAM is checked against (chromosome lengths, slice MD5s)${defaultsToFasta ? '; default: --fasta' : ''}; not needed to read a CRAM`,
  );
const genePatternOption = () =>
  new Option('--gene-pattern <regex>', 'regular expression whose first group is the gene in the BED name column (default: the name up to the first _ ; | , or :)');
// The read filters (as samtools -q/-F and mosdepth -Q/-F). A PoN records
// the filters its normals were counted with, and a tumour must be counted
// the same way, so on call and batch they default to the PoN's and another
// value is refused (pipeline/setup.ts).
const minMapqOption = () => new Option('-Q, --min-mapq <n>', 'skip reads with mapping quality below n').argParser(wholeNumber(0, 255)).default(DEFAULT_FILTER.minMapq);
const excludeFlagsOption = () =>
  new Option('-F, --exclude-flags <mask>', 'skip reads with any of these SAM flag bits (unmapped, secondary, QC-fail, duplicate, supplementary)')
    .argParser(flagMask)
    .default(DEFAULT_FILTER.excludeFlags);
const ponFilterOptions = () => [
  new Option('-Q, --min-mapq <n>', "skip reads with mapping quality below n; must be the PoN's (default: the PoN's)").argParser(wholeNumber(0, 255)),
  new Option('-F, --exclude-flags <mask>', "skip reads with any of these SAM flag bits; must be the PoN's (default: the PoN's)").argParser(flagMask),
] as const;
// Old spellings, kept for one release (vocabulary.ts).
const oldOutputOption = () => deprecatedSpelling('--output <path>', 'out', '-o/--out', { parse: nonEmpty });

program
  .command('coverage')
  .description("per-probe mean depth and read count of a BAM or CRAM (or depths of a mosdepth regions.bed.gz or bigWig) over the panel's capture probes")
  .argument('<bam>', 'coordinate-sorted, indexed BAM or CRAM; or mosdepth regions.bed.gz (with .csi), or bigWig per-base depth')
  .addOption(panelOption())
  .addOption(referenceOption(false))
  .addOption(minMapqOption())
  .addOption(excludeFlagsOption())
  .addOption(threadsOption())
  .addOption(genePatternOption())
  .addOption(new Option('--sample <name>', "with a BAM of several samples (read groups with different SM): count only this sample's read groups").argParser(nonEmpty))
  .addOption(new Option('-o, --out <tsv>', 'write the table to this file instead of stdout').argParser(nonEmpty))
  .addOption(oldOutputOption())
  .action(async (bam, opts) => {
    await (await import('./coverage-command.js')).runCoverage(bam, opts);
  });

program
  .command('pon')
  .description('build a panel of normals from normal BAMs of the same assay (at least 3, 10 or more recommended)')
  .argument('<normal.bam...>', 'normal BAMs or CRAMs (or mosdepth regions.bed.gz, bigWig)')
  .usage('[options] -o <pon.json> <normal.bam...>')
  .addOption(panelOption())
  .option('--fasta <ref.fa>', 'indexed reference FASTA for probe GC content (default: the panel\'s gc column, if any)')
  .addOption(genePatternOption())
  .addOption(referenceOption(true))
  .addOption(minMapqOption())
  .addOption(excludeFlagsOption())
  .addOption(threadsOption())
  .addOption(new Option('-o, --out <pon.json>', 'panel of normals file to write (.json, or .json.gz compressed)').argParser(nonEmpty).makeOptionMandatory())
  .addOption(oldOutputOption())
  .action(async (bams, opts) => {
    await (await import('./pon-command.js')).runPon(bams, { ...opts, version: VERSION });
  });

// Options `call` and `batch` share, so both read them the same way.
const ponOption = () => new Option('--pon <pon.json>', 'panel of normals').default(DEFAULT_PON, 'the embedded demo PoN');
const callPanelOption = () => new Option('--panel <bed>', 'capture panel BED (default: the probes stored in the PoN; if given, must be the PoN\'s panel)');
const fastaOption = () => new Option('--fasta <ref.fa>', 'indexed reference FASTA for probe GC content');
const purityToleranceOption = () =>
  new Option('--purity-tolerance <t>', 'how far a given purity may be off, as a fraction: tumour-cell intervals span p / (1 + t) to p / (1 - t)')
    .argParser(decimal(0, 0.5))
    .default(PURITY_TOLERANCE);
const thresholdOption = () =>
  new Option('--threshold <log2>', `log2 ratio at or above which ERBB2 is amplified (above ${THRESHOLD_RANGE.above}, at most ${THRESHOLD_RANGE.max})`)
    .argParser(decimal(THRESHOLD_RANGE.above, THRESHOLD_RANGE.max, true, 'a log2 ratio of 0 or below is no gain; 5 is 32-fold, beyond any amplification a panel measures'))
    .default(DEFAULT_THRESHOLD);
const outOption = () => new Option('-o, --out <dir>', 'output folder (created if missing)').argParser(nonEmpty).default('.');
const qcOptions = () => [
  new Option('--max-mapd <x>', 'no call above this noise (MAPD)').argParser(decimal(0, Infinity, true, 'at 0 no sample could pass')).default(DEFAULT_QC.maxMapd),
  new Option('--min-depth <x>', 'no call below this median probe depth').argParser(decimal(0)).default(DEFAULT_QC.minDepth),
  new Option('--min-relative-depth <x>', 'no call below this fraction of the normals\' median depth').argParser(decimal(0)).default(DEFAULT_QC.minRelativeDepth),
  new Option('--min-erbb2-probes <fraction>', 'no call with fewer usable ERBB2 probes than this fraction of the panel\'s (never fewer than 5)')
    .argParser(decimal(0, 1))
    .default(DEFAULT_QC.minErbb2ProbeFraction),
] as const;
const vcfGzOption = () => new Option('--vcf-gz', 'also write <sample>.her2cn.vcf.gz (bgzipped) and its tabix index .vcf.gz.tbi, for bcftools merge and region queries');
const qcLimits = (opts: { maxMapd: number; minDepth: number; minRelativeDepth: number; minErbb2Probes: number }) => ({
  maxMapd: opts.maxMapd,
  minDepth: opts.minDepth,
  minRelativeDepth: opts.minRelativeDepth,
  minErbb2ProbeFraction: opts.minErbb2Probes,
});

// The specimen as the laboratory identifies it, for the report and the JSON (batch: the samples table's columns of these names).
const specimenOptions = () => [
  new Option('--specimen <id>', 'specimen identifier, as the report shows it').argParser(specimenField('id')),
  new Option('--accession <number>', 'laboratory accession number').argParser(specimenField('accession')),
  new Option('--block <id>', 'tissue block').argParser(specimenField('block')),
  new Option('--tumour-content <estimate>', "the pathologist's tumour content estimate, as written (e.g. 60%); for the record only: --purity is what the assessment uses").argParser(specimenField('tumor_content')),
  new Option('--collected <YYYY-MM-DD>', 'collection date').argParser(specimenField('collected')),
] as const;

program
  .command('call')
  .description('call ERBB2 amplification in a tumour BAM; writes <sample>.her2cn.json, .her2cn.vcf, .probes.tsv, .plot.svg/.png and .report.html')
  .argument('<tumour.bam>', 'coordinate-sorted, indexed tumour BAM or CRAM (or mosdepth regions.bed.gz, bigWig)')
  .addOption(ponOption())
  .addOption(callPanelOption())
  .addOption(genePatternOption())
  .addOption(fastaOption())
  .addOption(referenceOption(true))
  .addOption(
    new Option('--sample <name>', 'sample name (default: the read groups\' SM, else the file name); with a BAM of several samples, only its read groups are counted').argParser(nonEmpty),
  )
  .addOption(
    new Option('--purity <p>', `tumour purity (${MIN_PURITY} <= p <= 1), for the tumour-cell copy number`).argParser(
      decimal(MIN_PURITY, 1, false, `below ${MIN_PURITY * 100}% tumour cells the copy number per tumour cell is noise multiplied twentyfold or more`),
    ),
  )
  .addOption(purityToleranceOption())
  .addOption(new Option('--ihc <score>', 'IHC score: 0, 0 (null), 0 (ultralow), 1+, 1-2+ focal, 2+, 2-3+ focal, 3+ (any case, hyphen or en dash)').argParser(ihcScore))
  .addOption(thresholdOption())
  .addOption(outOption())
  .option('--json', 'print the result JSON on stdout instead of the summary line')
  .addOption(vcfGzOption())
  .addOption(threadsOption())
  .addOption(ponFilterOptions()[0])
  .addOption(ponFilterOptions()[1])
  .addOption(qcOptions()[0])
  .addOption(qcOptions()[1])
  .addOption(qcOptions()[2])
  .addOption(qcOptions()[3])
  .addOption(specimenOptions()[0])
  .addOption(specimenOptions()[1])
  .addOption(specimenOptions()[2])
  .addOption(specimenOptions()[3])
  .addOption(specimenOptions()[4])
  .action(async (bam, opts) => {
    await (await import('./call-command.js')).runCall(bam, {
      specimen: specimenFrom({ id: opts.specimen, accession: opts.accession, block: opts.block, tumor_content: opts.tumourContent, collected: opts.collected }),
      pon: opts.pon,
      panel: opts.panel,
      genePattern: opts.genePattern,
      fasta: opts.fasta,
      reference: opts.reference,
      sample: opts.sample,
      purity: opts.purity,
      purityTolerance: opts.purityTolerance,
      ihc: opts.ihc,
      threshold: opts.threshold,
      out: opts.out,
      json: opts.json ?? false,
      threads: opts.threads,
      vcfGz: opts.vcfGz ?? false,
      minMapq: opts.minMapq,
      excludeFlags: opts.excludeFlags,
      qc: qcLimits(opts),
      version: VERSION,
    });
  });

program
  .command('batch')
  .description('call a cohort: runs call for every sample of a samples table (sample, bam; optional purity, ihc) on worker threads, reusing complete results; writes cohort.tsv and cohort.plot.svg/.png')
  .argument('<samples.tsv>', 'tab-separated table with a header: sample, bam (relative to the table\'s folder), optional purity, ihc')
  .addOption(ponOption())
  .addOption(callPanelOption())
  .addOption(genePatternOption())
  .addOption(fastaOption())
  .addOption(referenceOption(true))
  .addOption(purityToleranceOption())
  .addOption(thresholdOption())
  .addOption(outOption())
  .addOption(new Option('--jobs <n>', `samples called at once, 1 to ${maxThreads()} (default: the number of CPUs)`).argParser(threadCount))
  .addOption(
    new Option('-t, --threads <n>', `threads reading each BAM (results do not depend on it; default: the cores left to each of the --jobs, at least 1); --jobs times --threads at most ${maxThreads()}`).argParser(threadCount),
  )
  .addOption(vcfGzOption())
  .addOption(qcOptions()[0])
  .addOption(qcOptions()[1])
  .addOption(qcOptions()[2])
  .addOption(qcOptions()[3])
  .addOption(ponFilterOptions()[0])
  .addOption(ponFilterOptions()[1])
  .action(async (samples, opts) => {
    if (opts.jobs !== undefined && opts.threads !== undefined && opts.jobs * opts.threads > maxThreads()) {
      throw new Her2cnError(
        'usage',
        `--jobs ${opts.jobs} with --threads ${opts.threads} would run ${opts.jobs * opts.threads} threads; at most ${maxThreads()} on this machine (${availableParallelism()} cores): lower one of them`,
      );
    }
    await (await import('./batch-command.js')).runBatch(samples, {
      pon: opts.pon,
      panel: opts.panel,
      genePattern: opts.genePattern,
      fasta: opts.fasta,
      reference: opts.reference,
      purityTolerance: opts.purityTolerance,
      threshold: opts.threshold,
      out: opts.out,
      jobs: opts.jobs,
      threads: opts.threads,
      vcfGz: opts.vcfGz ?? false,
      minMapq: opts.minMapq,
      excludeFlags: opts.excludeFlags,
      qc: qcLimits(opts),
      version: VERSION,
    });
  });

program
  .command('validate')
  .description('concordance of call results with FISH/IHC truth: 2x2 table, exact intervals, thresholds, ROC; writes validation.json, .md, .html')
  .argument('<results...>', '<sample>.her2cn.json files, or folders of them')
  .usage('[options] --truth <truth.tsv> <results...>')
  .requiredOption('--truth <truth.tsv>', 'truth table: sample, fish, ihc (0, 0 (null), 0 (ultralow), 1+, 1-2+ focal, 2+, 2-3+ focal, 3+; and her2_per_cell, cep17_per_cell, ratio, fish_group)')
  .addOption(new Option('--against <test>', 'the test the calls are scored against (the reference standard)').choices(['fish', 'ihc']).default('fish'))
  // --reference names the FASTA on the other commands (-T)
  .addOption(deprecatedSpelling('--reference <test>', 'against', '--against', { choices: ['fish', 'ihc'] }))
  .addOption(new Option('--on <field>', 'the answer scored: the bulk call (log2 >= threshold) or the assessment (indeterminate listed apart)').choices(['call', 'assessment']).default('call'))
  .option('--exclude-ihc-2plus', 'with --against ihc, leave the equivocal scores (2+, 1-2+ focal, 2-3+ focal) out instead of counting them negative')
  .addOption(outOption())
  .action(async (results, opts) => {
    await (await import('./validate-command.js')).runValidate(results, {
      truth: opts.truth,
      reference: opts.against as 'fish' | 'ihc',
      on: opts.on as 'call' | 'assessment',
      excludeIhc2plus: opts.excludeIhc2plus ?? false,
      out: opts.out,
      version: VERSION,
    });
  });

program
  .command('multiqc')
  .description('a MultiQC custom-content file (her2cn_mqc.json) of call results: assessment, log2, MAPD, depth and QC in MultiQC\'s General Statistics (batch writes it itself)')
  .argument('<results...>', '<sample>.her2cn.json files, or folders of them')
  .addOption(outOption())
  .action(async (results, opts) => {
    await (await import('./multiqc-command.js')).runMultiqc(results, { out: opts.out, version: VERSION });
  });

refuseConflictingRepeats(program.commands);

async function main(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const { exitCode, detail } = describeError(e);
    const internal = exitCode === EXIT_INTERNAL && !isUserError(e);
    process.stderr.write(internal ? `her2cn: internal error: ${detail}\n` : `her2cn: error: ${detail}\n`);
    return exitCode;
  }
}

process.exitCode = await main(process.argv);
