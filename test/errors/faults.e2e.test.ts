// Faults: a call killed mid-run leaves no partial result and a rerun gives
// the clean run's bytes (a disk that fills up mid-write: faults.test.ts).
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../fixtures.js';
import { CLI, runCli, TEST_DATA, tempDir } from '../helpers.js';

const RESULT_FILES = ['T01.her2cn.json', 'T01.her2cn.vcf', 'T01.plot.png', 'T01.plot.svg', 'T01.probes.tsv', 'T01.report.html'];

function killedAfter(ms: number, out: string): Promise<void> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [CLI, 'call', join(TEST_DATA, 'T01.bam'), '--out', out], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('a call killed mid-run', () => {
  it('leaves either nothing or the complete result, and a rerun equals a clean run', async () => {
    // A clean run's files: `her2cn call` of every committed tumour, made once per test run (fixtures.ts).
    const clean = fixtures().calls;
    for (const ms of [100, 250, 400, 500, 600, 700]) {
      const out = tempDir();
      await killedAfter(ms, out);
      const results = readdirSync(out).filter(f => !f.startsWith('.'));
      expect([0, RESULT_FILES.length], `killed after ${ms} ms: ${results.join(', ')}`).toContain(results.length);
      expect(runCli(['call', join(TEST_DATA, 'T01.bam'), '--out', out]).status).toBe(0);
      expect(readdirSync(out).sort()).toEqual(RESULT_FILES);
      for (const f of RESULT_FILES) expect(readFileSync(join(out, f)).equals(readFileSync(join(clean, f))), f).toBe(true);
    }
  }, 60_000);

  it('puts back an earlier result that a killed run had set aside', () => {
    const out = tempDir();
    writeFileSync(join(out, 'T01.her2cn.json'), '{"earlier":true}\n');
    // what a run killed between setting aside and replacing leaves: the result moved to a backup of a dead process
    renameSync(join(out, 'T01.her2cn.json'), join(out, '.T01.her2cn.json.999999-0a1b2c3d.bak'));
    writeFileSync(join(out, '.T01.probes.tsv.999999-0a1b2c3d.tmp'), 'partial');
    // another sample's result set aside by a killed run, and its unfinished table
    writeFileSync(join(out, '.OTHER.her2cn.json.999999-0a1b2c3d.bak'), '{"sample":"OTHER"}\n');
    writeFileSync(join(out, '.OTHER.probes.tsv.999998-00000000.tmp'), 'partial');
    mkdirSync(join(out, 'keep'));
    expect(runCli(['call', join(TEST_DATA, 'T01.bam'), '--out', out]).status).toBe(0);
    expect(readdirSync(out).sort()).toEqual([...RESULT_FILES, 'OTHER.her2cn.json', 'keep'].sort());
    expect(readFileSync(join(out, 'OTHER.her2cn.json'), 'utf8')).toBe('{"sample":"OTHER"}\n');
  });
});
