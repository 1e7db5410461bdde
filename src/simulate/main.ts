// The simulator's command line: `npm run test-data` regenerates the
// committed cohort; `cohort --seed X --out DIR` makes another one.
import { Command } from '@commander-js/extra-typings';
import { join } from 'node:path';
import { DEFAULT_PANEL } from '../cli/defaults.js';
import { readBed } from '../panel/bed.js';
import { cohort } from './cohort.js';
import { COMMITTED_SEED } from './seed.js';
import { writeCohort } from './write.js';


const program = new Command('her2cn-simulate').description('deterministic capture-panel BAM simulator with known truth');

program
  .command('cohort')
  .description('write the test cohort: BAMs with BAI, truth.tsv (tumours) and cohort.tsv (every sample)')
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

await program.parseAsync(process.argv);
