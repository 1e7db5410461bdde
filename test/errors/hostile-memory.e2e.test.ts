// Memory is bounded by the machine, not by the input: a BED line spanning
// chromosome 1 (5.8 GB before, on a 0.5 MB BAM) is refused at once, naming
// the line and the limit; probes up to the limit are counted in bounded
// memory, and a hand-made PoN with a longer probe is refused too.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_PROBE_LENGTH } from '../../src/panel/bed.js';
import { DEMO_PANEL, ROOT, TEST_DATA, tempDir } from '../helpers.js';
import { expectRefusal, filesUnder, her2cn } from './hostile.js';

const T01 = join(TEST_DATA, 'T01.bam');

describe('probes longer than the limit', () => {
  it('a BED line spanning chromosome 1 is refused by coverage, pon and call, in one line, at once', () => {
    const dir = tempDir();
    const bed = join(dir, 'whole-chr1.bed');
    writeFileSync(bed, readFileSync(DEMO_PANEL, 'utf8') + 'chr1\t0\t248956422\tchr1_all\n');
    const message = /whole-chr1\.bed line \d+: the probe chr1:1-248956422 spans 248,956,422 bp; her2cn reads probes of at most 100,000 bp \(capture probes are ~120 bp, targets a few kb\)/;
    const started = Date.now();
    expectRefusal(her2cn(['coverage', T01, '--panel', bed, '-o', join(dir, 'cov.tsv')]), 1, message);
    expectRefusal(her2cn(['pon', ...['N01', 'N02', 'N03'].map(n => join(TEST_DATA, `${n}.bam`)), '--panel', bed, '-o', join(dir, 'pon.json')]), 1, message);
    expectRefusal(her2cn(['call', T01, '--panel', bed, '--out', join(dir, 'out')]), 1, message);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(filesUnder(dir)).toEqual(['whole-chr1.bed']);
  });

  it('a panel of normals holding a longer probe is refused', () => {
    const dir = tempDir();
    const pon = JSON.parse(readFileSync(join(ROOT, 'panels', 'her2cn-demo-grch38.pon.json'), 'utf8'));
    pon.probes.end[0] = pon.probes.start[0] + MAX_PROBE_LENGTH + 1;
    writeFileSync(join(dir, 'pon.json'), JSON.stringify(pon));
    expectRefusal(her2cn(['call', T01, '--pon', join(dir, 'pon.json'), '--out', join(dir, 'out')]), 1, /pon\.json: probe 1 \(chr1:\d+-\d+\) spans more than 100,000 bp/);
  });
});

describe('probes up to the limit', () => {
  it('are counted in bounded memory: 40 probes of 100 kb over chromosome 17', () => {
    const dir = tempDir();
    const bed = join(dir, 'long.bed');
    const lines = Array.from({ length: 40 }, (_, i) => {
      const start = 36_000_000 + i * MAX_PROBE_LENGTH;
      return `chr17\t${start}\t${start + MAX_PROBE_LENGTH}\tLONG_${i}`;
    });
    writeFileSync(bed, lines.join('\n') + '\n');
    const r = her2cn(['coverage', T01, '--panel', bed, '--threads', '1']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(41);
    const peak = Number(/peak memory (\d+) MB/.exec(r.stderr)![1]);
    // 4 Mb of panel: tens of MB of depth tracks on top of Node's own ~100 MB
    expect(peak).toBeLessThan(400);
  });
});
