// A BAM (or CRAM) that holds several samples, merged by samtools from two
// of the test cohort's: her2cn never pools their reads. Without a sample
// named it refuses, naming them; with one named (--sample, a batch row)
// it counts only that sample's read groups, says so, and gets exactly the
// depths of that sample's own BAM.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATA, tempDir, toolAvailable } from '../helpers.js';
import { expectRefusal, filesUnder, fingerprints, her2cn, write } from './hostile.js';

const haveSamtools = toolAvailable('samtools');
let dir: string;
let mixed: string;

beforeAll(() => {
  if (!haveSamtools) return;
  dir = tempDir('her2cn-hostile-samples-');
  mixed = join(dir, 'mixed.bam');
  // T01 (SM T01) and N01 (SM N01) in one BAM: two read groups, two samples, read names shared between them
  execFileSync('samtools', ['merge', '-f', '-o', mixed, join(TEST_DATA, 'T01.bam'), join(TEST_DATA, 'N01.bam')]);
  execFileSync('samtools', ['index', mixed]);
});

describe.skipIf(!haveSamtools)('a BAM of several samples', () => {
  it('is refused without a sample named, naming its samples, in coverage, call and pon', () => {
    const before = fingerprints([mixed, `${mixed}.bai`]);
    expectRefusal(her2cn(['coverage', mixed, '-o', join(dir, 'cov.tsv')]), 1, /mixed\.bam: read groups name 2 samples \(T01, N01\); her2cn never pools samples: name the one to call with --sample/);
    const out = join(dir, 'refused');
    expectRefusal(her2cn(['call', mixed, '--out', out]), 1, /mixed\.bam: read groups name 2 samples \(T01, N01\)/);
    expectRefusal(
      her2cn(['pon', mixed, join(TEST_DATA, 'N02.bam'), join(TEST_DATA, 'N03.bam'), '-o', join(dir, 'pon.json')]),
      1,
      /mixed\.bam: read groups name 2 samples \(T01, N01\); her2cn never pools samples: give one BAM per sample/,
    );
    expect(filesUnder(out)).toEqual([]);
    expect(filesUnder(dir).filter(f => !f.startsWith('mixed'))).toEqual([]);
    expect(fingerprints([mixed, `${mixed}.bai`])).toEqual(before);
  });

  it('counts only the named sample\'s read groups: the depths of its own BAM, byte for byte', () => {
    for (const sample of ['T01', 'N01']) {
      const r = her2cn(['coverage', mixed, '--sample', sample]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`warning: .*mixed\\.bam: the BAM holds 2 samples \\(T01, N01\\); counting only the reads of ${sample} \\(read group ${sample}\\)`));
      expect(r.stderr).toMatch(/\d+ of other samples\)/);
      expect(r.stdout).toBe(her2cn(['coverage', join(TEST_DATA, `${sample}.bam`)]).stdout);
    }
  });

  it('gives call the result of the sample alone, recording the read groups counted', () => {
    const alone = join(dir, 'alone');
    const fromMixed = join(dir, 'from-mixed');
    expect(her2cn(['call', join(TEST_DATA, 'T01.bam'), '--out', alone]).status).toBe(0);
    const r = her2cn(['call', mixed, '--sample', 'T01', '--out', fromMixed, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.inputs.read_group_samples).toEqual(['N01', 'T01']);
    expect(doc.inputs.read_groups_counted).toEqual(['T01']);
    expect(doc.log2).toBe(JSON.parse(readFileSync(join(alone, 'T01.her2cn.json'), 'utf8')).log2);
    expect(readFileSync(join(fromMixed, 'T01.probes.tsv'), 'utf8')).toBe(readFileSync(join(alone, 'T01.probes.tsv'), 'utf8'));
  });

  it('refuses a --sample that is none of its samples', () => {
    const out = join(dir, 'none');
    expectRefusal(her2cn(['call', mixed, '--sample', 'T99', '--out', out]), 1, /mixed\.bam: read groups name 2 samples \(T01, N01\) and none is T99/);
    expect(filesUnder(out)).toEqual([]);
  });

  it('in batch, counts each row\'s sample only, and fails a row naming none of them', () => {
    const b = join(dir, 'batch');
    write(join(b, 'samples.tsv'), `sample\tbam\nT01\t${mixed}\nN01\t${mixed}\nT99\t${mixed}\n`);
    const r = her2cn(['batch', join(b, 'samples.tsv'), '--out', join(b, 'out'), '--jobs', '2']);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/her2cn: T99: error: .*mixed\.bam: read groups name 2 samples \(T01, N01\) and none is T99/);
    const cohort = readFileSync(join(b, 'out', 'cohort.tsv'), 'utf8');
    expect(cohort).toMatch(/^T99\t.*error/m);
    const alone = join(dir, 'alone-N01');
    expect(her2cn(['call', join(TEST_DATA, 'N01.bam'), '--out', alone]).status).toBe(0);
    expect(readFileSync(join(b, 'out', 'N01.probes.tsv'), 'utf8')).toBe(readFileSync(join(alone, 'N01.probes.tsv'), 'utf8'));
  });

  it('reads the read groups of one sample (lanes) as that sample: nothing refused', () => {
    // N01's reads relabelled as a second lane of T01: two read groups, one SM
    const lanes = join(dir, 'lanes.bam');
    const header = execFileSync('samtools', ['view', '-H', join(TEST_DATA, 'N01.bam')], { encoding: 'utf8' }).replace('SM:N01', 'SM:T01');
    write(join(dir, 'n01-header.sam'), header);
    const relabelled = join(dir, 'N01-as-T01.bam');
    write(relabelled, execFileSync('samtools', ['reheader', join(dir, 'n01-header.sam'), join(TEST_DATA, 'N01.bam')]));
    execFileSync('samtools', ['merge', '-f', '-o', lanes, join(TEST_DATA, 'T01.bam'), relabelled]);
    execFileSync('samtools', ['index', lanes]);
    const r = her2cn(['coverage', lanes]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/holds \d+ samples|read groups name|of other samples/);
    const passing = (stderr: string) => Number(/(\d+) passing reads/.exec(stderr)![1]);
    expect(passing(r.stderr)).toBe(passing(her2cn(['coverage', join(TEST_DATA, 'T01.bam')]).stderr) + passing(her2cn(['coverage', join(TEST_DATA, 'N01.bam')]).stderr));
  });
});

describe.skipIf(!haveSamtools)('a CRAM of several samples', () => {
  it('is read as the BAM is: refused without a sample, the sample alone with one', () => {
    const cram = join(dir, 'mixed.cram');
    execFileSync('samtools', ['view', '-C', '--output-fmt-option', 'no_ref', '-o', cram, mixed]);
    execFileSync('samtools', ['index', cram]);
    expectRefusal(her2cn(['coverage', cram]), 1, /mixed\.cram: read groups name 2 samples \(T01, N01\)/);
    const r = her2cn(['coverage', cram, '--sample', 'N01']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/the CRAM holds 2 samples \(T01, N01\); counting only the reads of N01/);
    expect(r.stdout).toBe(her2cn(['coverage', join(TEST_DATA, 'N01.bam')]).stdout);
  });
});
