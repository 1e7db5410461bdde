// One option vocabulary across the commands, as a pipeline step meets it:
// -o/--out everywhere, -t/-Q/-F wherever reads are counted (held to the
// PoN's on call and batch), the old spellings still working with one
// warning, and --help marking what is required.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../fixtures.js';
import { ROOT, runCli, TEST_DATA, tempDir } from '../helpers.js';

const T01 = join(TEST_DATA, 'T01.bam');
const DEMO_PON = join(ROOT, 'panels', 'her2cn-demo-grch38.pon.json');
const deprecations = (stderr: string) => stderr.split('\n').filter(l => / is deprecated /.test(l));
const errors = (stderr: string) => stderr.split('\n').filter(l => /^(her2cn: )?error:/.test(l));

describe('one option vocabulary', () => {
  it('call -o writes the six files there; -t, and -Q/-F equal to the PoN\'s, change no byte', () => {
    const out = join(tempDir(), 'results');
    const r = runCli(['call', T01, '-o', out, '-t', '1', '-Q', '20', '-F', '0xF04']);
    expect(r.status, r.stderr).toBe(0);
    expect(deprecations(r.stderr)).toEqual([]);
    expect(readdirSync(out).sort()).toEqual(['T01.her2cn.json', 'T01.her2cn.vcf', 'T01.plot.png', 'T01.plot.svg', 'T01.probes.tsv', 'T01.report.html']);
    // the shared fixture is `call T01.bam --out <folder>` with default options
    for (const f of ['T01.her2cn.json', 'T01.her2cn.vcf', 'T01.probes.tsv']) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(fixtures().calls, f), 'utf8'));
  });

  it('every command refuses an option given twice with different values, before writing anything; alike, it runs', () => {
    const dir = tempDir();
    const purity = runCli(['call', T01, '-o', join(dir, 'call'), '--purity', '0.3', '--purity', '0.6']);
    expect(purity.status).toBe(2);
    expect(errors(purity.stderr)).toEqual(["error: --purity given twice with different values ('0.3', '0.6'): give it once"]);
    const out = runCli(['coverage', T01, '-o', join(dir, 'a.tsv'), '--output', join(dir, 'b.tsv')]);
    expect(out.status).toBe(2);
    expect(errors(out.stderr)[0]).toMatch(/^error: --out given twice with different values .*a\.tsv', '.*b\.tsv'\): give it once$/);
    expect(readdirSync(dir)).toEqual([]);
    const alike = runCli(['coverage', T01, '-o', join(dir, 'a.tsv'), '-o', join(dir, 'a.tsv')]);
    expect(alike.status, alike.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual(['a.tsv']);
  });

  it('call and batch refuse read filters other than the PoN\'s, naming the PoN, before writing anything', () => {
    const dir = tempDir();
    const call = runCli(['call', T01, '-o', join(dir, 'call'), '-Q', '30']);
    expect(call.status, call.stderr).toBe(1);
    expect(errors(call.stderr)).toHaveLength(1);
    expect(errors(call.stderr)[0]).toContain(`${DEMO_PON}: the panel of normals was counted with -Q 20 -F 3844, not -Q 30`);
    const batch = runCli(['batch', join(ROOT, 'workflow', 'demo', 'tumours.tsv'), '-o', join(dir, 'batch'), '-F', '1024']);
    expect(batch.status, batch.stderr).toBe(1);
    expect(errors(batch.stderr)).toHaveLength(1);
    expect(errors(batch.stderr)[0]).toContain(`${DEMO_PON}: the panel of normals was counted with -Q 20 -F 3844, not -F 1024`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('pon takes -F through to the counting and records it, and its old --output still works with one warning', () => {
    const dir = tempDir();
    const pon = join(dir, 'dup.pon.json.gz');
    const normals = ['N01', 'N02', 'N03'].map(n => join(TEST_DATA, `${n}.bam`));
    const r = runCli(['pon', ...normals, '-F', '0x400', '-t', '1', '--output', pon]);
    expect(r.status, r.stderr).toBe(0);
    expect(deprecations(r.stderr)).toEqual(['her2cn: warning: --output is deprecated and goes in the next release; use -o/--out']);
    const built = JSON.parse(gunzipSync(readFileSync(pon)).toString('utf8'));
    expect(built.filters).toEqual({ minMapq: 20, excludeFlags: 1024, countMateOverlapOnce: true });
    // with only duplicates skipped, the QC-fail and secondary reads count too: every normal is deeper than in the default PoN
    const usual = JSON.parse(gunzipSync(readFileSync(fixtures().pon)).toString('utf8'));
    for (const n of ['N01', 'N02', 'N03']) {
      const depth = (p: { normals: { name: string; medianDepth: number }[] }) => p.normals.find(x => x.name === n)!.medianDepth;
      expect(depth(built), n).toBeGreaterThan(depth(usual));
    }
  });

  it('coverage: the old --output still writes the table, with one warning', () => {
    const table = join(tempDir(), 'T01.tsv');
    const old = runCli(['coverage', T01, '--output', table, '-Q', '20', '-F', '3844']);
    expect(old.status, old.stderr).toBe(0);
    expect(deprecations(old.stderr)).toEqual(['her2cn: warning: --output is deprecated and goes in the next release; use -o/--out']);
    expect(old.stdout).toBe('');
    expect(readFileSync(table, 'utf8').split('\n')[0]).toBe('chrom\tstart\tend\tname\tgene\tdepth\treads');
  });

  it('validate --reference still scores against IHC, with one warning naming --against', () => {
    const out = tempDir();
    const r = runCli(['validate', '--truth', join(TEST_DATA, 'truth.tsv'), fixtures().calls, '--reference', 'ihc', '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(deprecations(r.stderr)).toEqual(['her2cn: warning: --reference is deprecated and goes in the next release; use --against']);
    // as validate-cli.e2e.test.ts finds with --against ihc
    expect(JSON.parse(readFileSync(join(out, 'validation.json'), 'utf8')).table).toEqual({ tp: 6, fp: 4, fn: 1, tn: 12 });
  });

  it('--help marks the required options and lists the shared short options', () => {
    const pon = runCli(['pon', '--help']).stdout;
    expect(pon).toMatch(/^Usage: her2cn pon \[options\] -o <pon\.json> <normal\.bam\.\.\.>$/m);
    expect(pon).toMatch(/-o, --out <pon\.json>\s+panel of normals file to write \(\.json, or \.json\.gz\s+compressed\) \(required\)/);
    const validate = runCli(['validate', '--help']).stdout;
    expect(validate).toMatch(/--truth <truth\.tsv>[^]*\(required\)\n\s+--against <test>/);
    expect(validate).not.toMatch(/--reference/);
    expect(validate.match(/\(required\)/g)).toHaveLength(1);
    expect(pon.match(/\(required\)/g)).toHaveLength(1);
    for (const [command, help] of [['pon', pon], ['call', runCli(['call', '--help']).stdout], ['batch', runCli(['batch', '--help']).stdout]]) {
      for (const option of ['-o, --out', '-t, --threads', '-Q, --min-mapq', '-F, --exclude-flags']) expect(help, `${command} ${option}`).toContain(option);
      if (command !== 'pon') expect(help, command).not.toMatch(/\(required\)/);
    }
  });
});
