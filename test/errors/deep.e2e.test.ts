// Memory stays bounded on deep data: coverage streams records, so a sample
// with thousands-fold depth over ERBB2 needs about the memory of a shallow one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBed } from '../../src/panel/bed.js';
import { writeSampleBam } from '../../src/simulate/write.js';
import { deepAmplicon, DEMO_PANEL, ROOT, runCli, TEST_DATA, tempDir } from '../helpers.js';
import { coverageTable } from '../coverage/threads.js';

/** The bound stated in the README for `coverage` on any depth (the Node runtime alone takes about 60 MB). */
const PEAK_MB = 300;

const peak = (stderr: string) => Number(/peak memory (\d+) MB/.exec(stderr)![1]);

describe('a deep ERBB2 amplicon', () => {
  it(`is counted in bounded memory (peak below ${PEAK_MB} MB) with every read counted`, async () => {
    const panel = readBed(DEMO_PANEL);
    const dir = tempDir();
    const spec = deepAmplicon(1000);
    // Deflate level 1: only the reads matter here, and level 9 doubles the time to write them.
    writeSampleBam(spec, panel.probes, join(dir, 'DEEP.bam'), 'deep', { level: 1 });
    const deep = runCli(['coverage', join(dir, 'DEEP.bam'), '-o', join(dir, 'deep.tsv')]);
    expect(deep.status, deep.stderr).toBe(0);
    const shallow = runCli(['coverage', join(TEST_DATA, 'T01.bam'), '-o', join(dir, 't01.tsv')]);
    const rows = readFileSync(join(dir, 'deep.tsv'), 'utf8').trim().split('\n').map(l => l.split('\t'));
    const erbb2 = rows.filter(r => r[4] === 'ERBB2').map(r => Number(r[5]));
    // 1,000 copies at 20x per two copies: 10,000x before the crowded exons share reads, about 20,000x after; no cap anywhere
    expect(Math.min(...erbb2)).toBeGreaterThan(5000);
    expect(peak(deep.stderr)).toBeLessThan(PEAK_MB);
    // The same table as the first engine wrote (test/coverage/golden), on one thread and split across two.
    const golden = readFileSync(join(ROOT, 'test', 'coverage', 'golden', 'DEEP.coverage.tsv'), 'utf8');
    expect(readFileSync(join(dir, 'deep.tsv'), 'utf8')).toBe(golden);
    expect(await coverageTable(join(dir, 'DEEP.bam'), 2)).toBe(golden);
    process.stderr.write(`coverage peak memory: deep ${peak(deep.stderr)} MB (ERBB2 median ${erbb2.sort((a, b) => a - b)[26]}x), shallow ${peak(shallow.stderr)} MB\n`);
  }, 120_000);
});
