// Files that are not regular files (a folder, a named pipe, a device) given
// as any input, and outputs that would replace an input (the same path, a
// symlink or a hard link to it): refused before any work, in one line,
// without a hang, leaving every input as it was.
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PANEL, TEST_DATA, tempDir } from '../helpers.js';
import { expectRefusal, fifo, filesUnder, fingerprints, her2cn, write } from './hostile.js';

const T13 = join(TEST_DATA, 'T13.bam');
/** Pipes must never be opened: a run that would block on one is killed here and fails. */
const QUICK = { timeoutMs: 20_000 };

describe('inputs that are not regular files', () => {
  const kinds = [
    ['a folder', (p: string) => mkdirSync(p), /is a folder, not a \S+ file; give the file itself/],
    ['a named pipe', (p: string) => fifo(p), /is a named pipe \(FIFO\), not a regular file; her2cn reads a .* only from a file/],
  ] as const;

  for (const [kind, make, message] of kinds) {
    it(`${kind} as the BAM, its index, the panel, the PoN, the FASTA: refused at once`, () => {
      const dir = tempDir();
      const out = join(dir, 'out');
      make(join(dir, 'x.bam'));
      expectRefusal(her2cn(['call', join(dir, 'x.bam'), '--out', out], QUICK), 1, new RegExp(`x\\.bam: ${message.source}`));
      expectRefusal(her2cn(['coverage', join(dir, 'x.bam')], QUICK), 1, new RegExp(`x\\.bam: ${message.source}`));
      expectRefusal(her2cn(['pon', T13, join(TEST_DATA, 'N01.bam'), join(dir, 'x.bam'), '-o', join(dir, 'pon.json')], QUICK), 1, /x\.bam: /);
      // the index beside a good BAM
      copyFileSync(T13, join(dir, 'y.bam'));
      make(join(dir, 'y.bam.bai'));
      expectRefusal(her2cn(['call', join(dir, 'y.bam'), '--out', out], QUICK), 1, /y\.bam\.bai: /);
      make(join(dir, 'p.bed'));
      expectRefusal(her2cn(['coverage', T13, '--panel', join(dir, 'p.bed')], QUICK), 1, /p\.bed: .*panel BED/);
      expectRefusal(her2cn(['call', T13, '--panel', join(dir, 'p.bed'), '--out', out], QUICK), 1, /p\.bed: .*panel BED/);
      make(join(dir, 'pon.json'));
      expectRefusal(her2cn(['call', T13, '--pon', join(dir, 'pon.json'), '--out', out], QUICK), 1, /pon\.json: .*panel of normals/);
      make(join(dir, 'ref.fa'));
      expectRefusal(her2cn(['call', T13, '--fasta', join(dir, 'ref.fa'), '--out', out], QUICK), 1, /ref\.fa: .*reference FASTA/);
      expect(filesUnder(out)).toEqual([]);
    });
  }

  it('a character device (/dev/null) as the BAM', () => {
    expectRefusal(her2cn(['coverage', '/dev/null'], QUICK), 1, /\/dev\/null: is a character device, not a regular file/);
  });

  it('a named pipe as the samples table, the truth table or a result', () => {
    const dir = tempDir();
    expectRefusal(her2cn(['batch', fifo(join(dir, 'samples.tsv')), '--out', join(dir, 'out')], QUICK), 1, /samples\.tsv: is a named pipe \(FIFO\).*samples table/);
    const results = join(dir, 'results');
    mkdirSync(results);
    expect(her2cn(['call', T13, '--out', results]).status).toBe(0);
    expectRefusal(her2cn(['validate', results, '--truth', fifo(join(dir, 'truth.tsv')), '--out', join(dir, 'v')], QUICK), 1, /truth\.tsv: is a named pipe/);
    fifo(join(results, 'T99.her2cn.json'));
    expectRefusal(her2cn(['validate', results, '--truth', join(TEST_DATA, 'truth.tsv'), '--out', join(dir, 'v')], QUICK), 1, /T99\.her2cn\.json: is a named pipe/);
    expect(filesUnder(join(dir, 'v'))).toEqual([]);
    expect(filesUnder(join(dir, 'out'))).toEqual([]);
  });

  it('a named pipe as one sample\'s BAM fails that sample at once; batch --jobs 1 goes on with the others', () => {
    const dir = tempDir();
    fifo(join(dir, 'pipe.bam'));
    write(join(dir, 'samples.tsv'), `sample\tbam\nP\tpipe.bam\nT13\t${T13}\n`);
    const r = her2cn(['batch', join(dir, 'samples.tsv'), '--out', join(dir, 'out'), '--jobs', '1'], { timeoutMs: 60_000 });
    expect(r.timedOut, r.stderr).toBe(false);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/her2cn: P: error: .*pipe\.bam: is a named pipe \(FIFO\)/);
    expect(readFileSync(join(dir, 'out', 'cohort.tsv'), 'utf8')).toMatch(/^T13\t/m);
    expect(filesUnder(join(dir, 'out'))).toContain('T13.her2cn.json');
  });
});

describe('an output that is an input', () => {
  function setup() {
    const dir = tempDir();
    for (const n of ['N01', 'N02', 'N03']) {
      copyFileSync(join(TEST_DATA, `${n}.bam`), join(dir, `${n}.bam`));
      copyFileSync(join(TEST_DATA, `${n}.bam.csi`), join(dir, `${n}.bam.csi`));
    }
    copyFileSync(DEMO_PANEL, join(dir, 'p.bed'));
    return dir;
  }

  it.each([
    ['coverage X.bam -o X.bam', (d: string) => ['coverage', join(d, 'N01.bam'), '-o', join(d, 'N01.bam')], /N01\.bam: is the BAM this run reads; her2cn never writes over its inputs: choose another -o/],
    ['coverage X.bam -o X.bam.csi', (d: string) => ['coverage', join(d, 'N01.bam'), '-o', join(d, 'N01.bam.csi')], /N01\.bam\.csi: is the index this run reads/],
    ['coverage --panel p.bed -o p.bed', (d: string) => ['coverage', join(d, 'N01.bam'), '--panel', join(d, 'p.bed'), '-o', join(d, 'p.bed')], /p\.bed: is the panel BED this run reads/],
    ['pon … -o N01.bam', (d: string) => ['pon', join(d, 'N01.bam'), join(d, 'N02.bam'), join(d, 'N03.bam'), '-o', join(d, 'N01.bam')], /N01\.bam: is the BAM this run reads/],
    ['pon --panel p.bed -o p.bed', (d: string) => ['pon', join(d, 'N01.bam'), join(d, 'N02.bam'), join(d, 'N03.bam'), '--panel', join(d, 'p.bed'), '-o', join(d, 'p.bed')], /p\.bed: is the panel BED/],
    ['-o a symlink to the BAM', (d: string) => (symlinkSync(join(d, 'N01.bam'), join(d, 'link.tsv')), ['coverage', join(d, 'N01.bam'), '-o', join(d, 'link.tsv')]), /link\.tsv: is the BAM \(.*N01\.bam, by another name\) this run reads/],
    ['-o a hard link to the panel', (d: string) => (linkSync(join(d, 'p.bed'), join(d, 'hard.tsv')), ['coverage', join(d, 'N01.bam'), '--panel', join(d, 'p.bed'), '-o', join(d, 'hard.tsv')]), /hard\.tsv: is the panel BED \(.*p\.bed, by another name\)/],
    ['the BAM through a symlink, -o the file', (d: string) => (symlinkSync(join(d, 'N01.bam'), join(d, 'alias.bam')), ['coverage', join(d, 'alias.bam'), '-o', join(d, 'N01.bam')]), /N01\.bam: is the BAM \(.*alias\.bam, by another name\)/],
  ])('%s: exit 2, the input unchanged, nothing written', (_, args, message) => {
    const dir = setup();
    const command = args(dir);
    const before = fingerprints(filesUnder(dir).map(f => join(dir, f)));
    expectRefusal(her2cn(command), 2, message);
    expect(fingerprints(filesUnder(dir).map(f => join(dir, f)))).toEqual(before);
  });

  it('batch: a samples table named cohort.tsv in --out is not replaced by the cohort summary', () => {
    const dir = tempDir();
    const table = write(join(dir, 'cohort.tsv'), `sample\tbam\nT13\t${T13}\n`);
    const before = readFileSync(table, 'utf8');
    expectRefusal(her2cn(['batch', table, '--out', dir]), 2, /cohort\.tsv: is the samples table this run reads; her2cn never writes over its inputs: choose another --out/);
    expect(readFileSync(table, 'utf8')).toBe(before);
    expect(filesUnder(dir)).toEqual(['cohort.tsv']);
  });

  it('call: a result file that is the panel (by a symlink) is not written over', () => {
    const dir = tempDir();
    const panel = write(join(dir, 'panel.bed'), readFileSync(DEMO_PANEL, 'utf8'));
    mkdirSync(join(dir, 'out'));
    symlinkSync(panel, join(dir, 'out', 'T13.probes.tsv'));
    // the symlink looks like a result of no sample: refused either way, the panel unchanged
    const r = her2cn(['call', T13, '--panel', panel, '--out', join(dir, 'out')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/T13\.probes\.tsv: is the panel BED \(.*panel\.bed, by another name\) this run reads/);
    expect(readFileSync(panel, 'utf8')).toBe(readFileSync(DEMO_PANEL, 'utf8'));
  });

  it('validate: a truth table named validation.md in --out is not replaced', () => {
    const dir = tempDir();
    expect(her2cn(['call', T13, '--out', join(dir, 'results')]).status).toBe(0);
    const truth = write(join(dir, 'out', 'validation.md'), readFileSync(join(TEST_DATA, 'truth.tsv'), 'utf8'));
    expectRefusal(her2cn(['validate', join(dir, 'results'), '--truth', truth, '--out', join(dir, 'out')]), 2, /validation\.md: is the truth table this run reads/);
    expect(readFileSync(truth, 'utf8')).toBe(readFileSync(join(TEST_DATA, 'truth.tsv'), 'utf8'));
    expect(filesUnder(join(dir, 'out'))).toEqual(['validation.md']);
  });

  it('pon: the same normal twice by two names is refused', () => {
    const dir = setup();
    symlinkSync(join(dir, 'N01.bam'), join(dir, 'again.bam'));
    writeFileSync(join(dir, 'again.bam.csi'), readFileSync(join(dir, 'N01.bam.csi')));
    expectRefusal(her2cn(['pon', join(dir, 'N01.bam'), join(dir, 'N02.bam'), join(dir, 'again.bam'), '-o', join(dir, 'pon.json')]), 1, /the same normal is given twice \(.*N01\.bam and .*again\.bam are one file\)/);
    // the same path twice, and a copy (another file, the same sample): each refusal names the file
    expectRefusal(her2cn(['pon', join(dir, 'N01.bam'), join(dir, 'N02.bam'), join(dir, 'N01.bam'), '-o', join(dir, 'pon.json')]), 1, /N01\.bam: the same normal is given twice/);
    copyFileSync(join(dir, 'N01.bam'), join(dir, 'copy.bam'));
    copyFileSync(join(dir, 'N01.bam.csi'), join(dir, 'copy.bam.csi'));
    expectRefusal(her2cn(['pon', join(dir, 'N01.bam'), join(dir, 'N02.bam'), join(dir, 'copy.bam'), '-o', join(dir, 'pon.json')]), 1, /copy\.bam: has the sample name N01, as .*N01\.bam has; each normal must be a different sample/);
    expect(existsSync(join(dir, 'pon.json'))).toBe(false);
  });
});
