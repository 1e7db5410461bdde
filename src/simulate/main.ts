// The simulator's command line: `npm run test-data` regenerates the
// committed cohort; `cohort --seed X --out DIR` makes another one.
import { Command } from '@commander-js/extra-typings';
import { join } from 'node:path';
import { DEFAULT_PANEL } from '../pipeline/shipped.js';
import { readBed } from '../panel/bed.js';
import { cohort } from './cohort.js';
import { COMMITTED_SEED } from './seed.js';
import { writeCohort, writeSampleBam } from './write.js';
import { writeFileAtomic } from '../output/files.js';
import { benchDeep, benchNormal, benchPanel, benchTumour, formatBenchPanel } from './bench.js';
import type { SampleSpec } from './model.js';
import { clinicalCohort, writeClinicalCohort } from './clinical-cohort.js';


const program = new Command('her2cn-simulate').description('deterministic capture-panel BAM simulator with known truth');

program
  .command('cohort')
  .description('write the test cohort: BAMs with CSI indexes, truth.tsv (tumours) and cohort.tsv (every sample)')
  .requiredOption('--out <dir>', 'output folder')
  .option('--seed <text>', 'random seed', COMMITTED_SEED)
  .option('--panel <bed>', 'panel BED', DEFAULT_PANEL)
  .option('--depth-scale <x>', 'multiply every sample\'s depth', '1')
  .option('--only <samples>', 'comma-separated sample names to write')
  .action(opts => {
    const panel = readBed(opts.panel);
    let specs = cohort({ seed: opts.seed, depthScale: Number(opts.depthScale) });
    if (opts.only) {
      const keep = new Set(opts.only.split(','));
      specs = specs.filter(s => keep.has(s.name));
    }
    const started = Date.now();
    writeCohort(specs, panel.probes, opts.out, opts.seed, line => process.stderr.write(`${line}\n`));
    process.stderr.write(`wrote ${specs.length} samples to ${join(opts.out)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });

program
  .command('bench')
  .description('write one benchmark input: the bench panel BED, or a sample BAM (+CSI) on it')
  .requiredOption('--out <path>', 'BED or BAM to write')
  .option('--seed <text>', 'random seed', 'her2cn bench v1')
  .option('--probes <n>', 'probes added to the demo panel (bench panel)', '10000')
  .option('--panel <bed>', 'panel to simulate reads on', DEFAULT_PANEL)
  .option('--sample <kind>', 'tumour, normal-female, normal-male or deep (omit to write the panel)')
  .option('--depth <x>', 'depth per two copies', '300')
  .option('--bases', 'store read bases and qualities (real-sized records)')
  .option('--name <sample>', 'sample name (default: the BAM file name)')
  .option('--level <n>', 'deflate level of the BGZF blocks (0: stored, for a file another tool recompresses)', '6')
  .option('--no-index', 'write no index')
  .action(opts => {
    const started = Date.now();
    if (!opts.sample) {
      const probes = benchPanel(readBed(DEFAULT_PANEL).probes, Number(opts.probes), opts.seed);
      writeFileAtomic(opts.out, formatBenchPanel(probes));
      process.stderr.write(`${opts.out}: ${probes.length} probes\n`);
      return;
    }
    const name = opts.name ?? opts.out.replace(/^.*\//, '').replace(/\.bam$/, '');
    const depth = Number(opts.depth);
    const kinds: Record<string, () => SampleSpec> = {
      tumour: () => benchTumour(name, depth),
      'normal-female': () => benchNormal(name, depth, 'female'),
      'normal-male': () => benchNormal(name, depth, 'male'),
      deep: () => benchDeep(name),
    };
    const make = kinds[opts.sample];
    if (!make) throw new Error(`unknown --sample ${opts.sample}`);
    const records = writeSampleBam(make(), readBed(opts.panel).probes, opts.out, opts.seed, { bases: opts.bases, level: Number(opts.level), index: opts.index });
    process.stderr.write(`${opts.out}: ${records} records in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });

program
  .command('clinical')
  .description('write the assessment benchmark cohort (bench/assessment-cohort.sh): 87 tumours and 10 normals at 150-500x with truth.tsv, cohort.tsv, normals.tsv and samples tables for her2cn batch')
  .requiredOption('--out <dir>', 'output folder (BAMs go to <dir>/bams)')
  .requiredOption('--seed <text>', 'random seed: another seed, another cohort')
  .option('--panel <bed>', 'panel BED to simulate reads on', DEFAULT_PANEL)
  .option('--part <i/n>', 'write the BAMs of every n-th sample from the i-th (to run n writers at once)', '1/1')
  .option('--tables-only', 'write the tables, no BAMs')
  .action(opts => {
    const m = /^(\d+)\/(\d+)$/.exec(opts.part);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new Error(`--part must be i/n with 1 <= i <= n, found ${opts.part}`);
    const started = Date.now();
    const samples = clinicalCohort({ seed: opts.seed });
    writeClinicalCohort(samples, readBed(opts.panel).probes, opts.out, opts.seed, {
      part: Number(m[1]),
      parts: Number(m[2]),
      tablesOnly: opts.tablesOnly,
      log: line => process.stderr.write(`${line}\n`),
    });
    process.stderr.write(`clinical cohort part ${opts.part}: ${samples.length} samples, ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });

await program.parseAsync(process.argv);
