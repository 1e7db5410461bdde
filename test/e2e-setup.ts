// The e2e part's globalSetup: makes the fixtures of fixtures.ts, two jobs at
// a time (the machines have two cores), or finds them made by an earlier run
// from the same inputs in test/artifacts/cache/.
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { type Fixtures, MOSDEPTH_SAMPLES, type MosdepthRun } from './fixtures.js';

const ROOT = new URL('..', import.meta.url).pathname;
const TEST_DATA = join(ROOT, 'test-data');
const DEMO_PANEL = join(ROOT, 'panels', 'her2cn-demo-grch38.bed');
const CACHE = join(ROOT, 'test', 'artifacts', 'cache');
const run = promisify(execFile);

const SAMPLES = [
  ...Array.from({ length: 10 }, (_, i) => `N${String(i + 1).padStart(2, '0')}`),
  ...Array.from({ length: 13 }, (_, i) => `T${String(i + 1).padStart(2, '0')}`),
];
/**
 * mosdepth allocates each whole chromosome (about 30 s of CPU for a GRCh38
 * header, 2.5 s for chromosome 17 alone), so it covers the whole genome for
 * T01 alone (with its per-base output, for the bigWig tests; its regions
 * for the tests of mosdepth's regions as input), and chromosome 17 for
 * three tumours whose reads differ from T01's most: T02 (the deepest, a
 * 20-copy 17q12 amplicon), T11 (FFPE, short inserts: the most overlapping
 * mates) and T13 (shallow and noisy). Every sample is compared with
 * samtools bedcov (reference-tools.e2e.test.ts); what mosdepth checks
 * beyond it is that mates overlapping are counted once, which these four
 * check as the other tumours would (the same reads, simulated alike).
 */
const GENOME_WIDE = ['T01'];
const PER_BASE = ['T01'];

function hashOf(files: string[], ...extra: string[]): string {
  const h = createHash('sha256');
  // Paths relative to the project, so the cache outlives a move of the checkout.
  for (const f of files) h.update(`${relative(ROOT, f)}\0`).update(readFileSync(f));
  for (const e of extra) h.update(`${e}\0`);
  return h.digest('hex').slice(0, 16);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map(f => join(dir, f))
    .filter(f => statSync(f).isFile())
    .sort();
}

/**
 * The folder `${name}-${key}` in the cache, made by `make` (into a temporary
 * folder renamed when complete, so a killed run leaves nothing half made)
 * unless an earlier run left it; older versions of `name` are removed.
 */
async function cached(name: string, key: string, make: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(CACHE, `${name}-${key}`);
  if (existsSync(dir)) return dir;
  for (const old of readdirSync(CACHE)) if (old.startsWith(`${name}-`)) rmSync(join(CACHE, old), { recursive: true, force: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  mkdirSync(tmp);
  await make(tmp);
  try {
    renameSync(tmp, dir);
  } catch (e) {
    // Another run on this checkout made it meanwhile: take that one.
    if (!existsSync(dir)) throw e;
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

/** Runs the jobs `width` at a time. */
async function pool(jobs: (() => Promise<void>)[], width = 2): Promise<void> {
  const queue = [...jobs];
  await Promise.all(Array.from({ length: width }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await job();
  }));
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  mkdirSync(CACHE, { recursive: true });
  const started = Date.now();
  const fixtures: Fixtures = { mosdepth: {}, pon: '', calls: '', background: [] };
  const jobs: (() => Promise<void>)[] = [];
  /** Fixtures made while the tests run (not awaited here). */
  const background: Promise<void>[] = [];

  // Every committed tumour (truth.tsv), not only those the genome-wide tools run on.
  const tumours = readFileSync(join(TEST_DATA, 'truth.tsv'), 'utf8').trim().split('\n').slice(1).map(l => join(TEST_DATA, `${l.split('\t')[0]}.bam`));
  jobs.push(async () => {
    const key = hashOf([...tumours, ...filesUnder(join(ROOT, 'src')), ...filesUnder(join(ROOT, 'panels'))]);
    // One `her2cn batch` on one job, beside the other jobs: batch writes
    // each sample's six files as `her2cn call` writes them, byte for byte
    // (batch.e2e.test.ts), in a third of the time of 24 processes (6 s
    // against 18 s); its own cohort files are removed, leaving what the
    // calls leave. First, as the longest.
    fixtures.calls = await cached('calls', key, async tmp => {
      const table = join(tmp, 'samples.tsv');
      writeFileSync(table, ['sample\tbam', ...tumours.map(bam => `${basename(bam, '.bam')}\t${bam}`)].join('\n') + '\n');
      await run(process.execPath, [join(ROOT, 'bin', 'her2cn'), 'batch', table, '--out', tmp, '--jobs', '1']);
      for (const f of ['samples.tsv', 'cohort.tsv', 'cohort.plot.svg', 'cohort.plot.png', 'her2cn_mqc.json', '.her2cn-batch']) rmSync(join(tmp, f), { recursive: true, force: true });
    });
  });

  const mosdepth = spawnSync('mosdepth', ['--version'], { encoding: 'utf8' });
  if (mosdepth.status === 0) {
    for (const sample of MOSDEPTH_SAMPLES) {
      const scope = GENOME_WIDE.includes(sample) ? 'genome' : 'chr17';
      const args = ['-Q', '20', '-F', '3844', '--by', DEMO_PANEL];
      if (!PER_BASE.includes(sample)) args.unshift('-n');
      if (scope === 'chr17') args.push('--chrom', 'chr17');
      const bam = join(TEST_DATA, `${sample}.bam`);
      const name = `mosdepth-${sample}`;
      const key = hashOf([bam, DEMO_PANEL], mosdepth.stdout, ...args);
      const make = async (tmp: string) => {
        // Ended after 5 minutes (it takes about 30 s): a hung run must not hold the test run.
        await run('mosdepth', [...args, join(tmp, sample), bam], { timeout: 300_000 });
      };
      const dir = join(CACHE, `${name}-${key}`);
      const entry: MosdepthRun = { scope, regions: join(dir, `${sample}.regions.bed.gz`) };
      if (PER_BASE.includes(sample)) entry.perBase = join(dir, `${sample}.per-base.bed.gz`);
      fixtures.mosdepth[sample] = entry;
      if (scope === 'genome' && !existsSync(dir)) {
        // The genome-wide run (about 30 s on one core) goes on while the
        // tests start; the three files that read it wait for it
        // (fixtures.ts, backgroundFixtures), so the other core is not left
        // idle once the other fixtures are made.
        const failed = `${dir}.failed`;
        rmSync(failed, { force: true });
        fixtures.background.push({ dir, failed });
        background.push(cached(name, key, make).then(
          () => undefined,
          (e: unknown) => writeFileSync(failed, e instanceof Error ? e.message : String(e)),
        ));
      } else {
        jobs.push(async () => {
          await cached(name, key, make);
        });
      }
    }
  }

  const normals = SAMPLES.filter(s => s.startsWith('N')).map(s => join(TEST_DATA, `${s}.bam`));
  jobs.push(async () => {
    // her2cn's own code and data decide the PoN: any change there makes it again.
    const key = hashOf([...normals, ...filesUnder(join(ROOT, 'src')), ...filesUnder(join(ROOT, 'panels'))]);
    const dir = await cached('pon', key, async tmp => {
      await run(process.execPath, [join(ROOT, 'bin', 'her2cn'), 'pon', ...normals, '-o', join(tmp, 'pon.json.gz')]);
    });
    fixtures.pon = join(dir, 'pon.json.gz');
  });

  await pool(jobs);
  const still = fixtures.background.length ? `; T01's genome-wide mosdepth run goes on beside the tests` : '';
  process.stderr.write(`e2e fixtures ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${CACHE})${still}\n`);
  project.provide('fixtures', fixtures);
  // A run of a few files may end before the background fixtures: let them finish, for the cache.
  return async () => {
    await Promise.all(background);
  };
}
