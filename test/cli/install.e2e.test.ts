// her2cn as an installed command: the package `npm pack` makes installs
// with `npm install -g` from the registry alone (no overrides apply to an
// installed package's dependencies), holds no tests, test data or
// simulator, and runs `her2cn call` from any folder with the embedded panel
// and panel of normals, giving the bytes the clone gives.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../fixtures.js';
import { ROOT, TEST_DATA, tempDir, toolAvailable } from '../helpers.js';

const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });

describe('the installed command', () => {
  it('packs without tests or test data, installs into a prefix, and calls T01 from another folder', { timeout: 180_000 }, ctx => {
    ctx.skip(!toolAvailable('npm'), 'needs npm');
    const work = tempDir('her2cn-install-');
    // dist/ is current: `npm test` compiles before the tests run
    const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT))[0];
    const tarball = join(work, packed.filename);
    // the package's own files (the bundled dependencies' are under node_modules/)
    const files: string[] = packed.files.map((f: { path: string }) => f.path).filter((f: string) => !f.startsWith('node_modules/'));
    expect(files).toContain('bin/her2cn');
    expect(files).toContain('dist/cli/main.js');
    expect(files).toContain('panels/her2cn-demo-grch38.pon.json');
    for (const left of [/^test\//, /^test-data\//, /^src\//, /^dist\/simulate\//, /^bench\//, /\.map$/]) expect(files.filter(f => left.test(f)), String(left)).toEqual([]);
    // nothing bundled: every dependency installs from the registry as it is
    // (@gmod/bam, whose generic-filehandle2 range the registry cannot meet, is
    // only the tests' reference reader)
    expect(packed.bundled).toEqual([]);
    expect(statSync(tarball).size).toBeLessThan(2_000_000);

    const prefix = join(work, 'prefix');
    npm(['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], work);
    const her2cn = join(prefix, 'bin', 'her2cn');
    expect(existsSync(her2cn)).toBe(true);

    const elsewhere = join(work, 'elsewhere');
    execFileSync('mkdir', [elsewhere]);
    const stdout = execFileSync(her2cn, ['call', join(TEST_DATA, 'T01.bam')], { cwd: elsewhere, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(stdout).toMatch(/^T01\tamplified\t/);
    expect(readdirSync(elsewhere).sort()).toEqual(['T01.her2cn.json', 'T01.her2cn.vcf', 'T01.plot.png', 'T01.plot.svg', 'T01.probes.tsv', 'T01.report.html']);
    // the embedded panel and PoN were found and named as from the clone: the same bytes
    for (const f of ['T01.her2cn.json', 'T01.her2cn.vcf', 'T01.probes.tsv', 'T01.plot.svg']) {
      expect(readFileSync(join(elsewhere, f), 'utf8'), f).toBe(readFileSync(join(fixtures().calls, f), 'utf8'));
    }
  });
});
