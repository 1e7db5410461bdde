// The README holds only what is true: the Quick start's call prints the line
// it shows, every command it lists exists, every page it links is there.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, TEST_DATA, tempDir } from '../helpers.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README', () => {
  it("the Quick start's call prints the summary line the README shows", () => {
    const shown = README.split('\n').find(l => l.startsWith('T01\t'));
    expect(shown).toBeDefined();
    const r = runCli(['call', join(TEST_DATA, 'T01.bam'), '--out', tempDir()]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${shown}\n`);
  });

  it('lists only commands her2cn has, and every command it has', () => {
    const listed = [...README.matchAll(/^\| `her2cn (\w+)/gm)].map(m => m[1]);
    const help = runCli(['--help']).stdout;
    const commands = [...help.matchAll(/^ {2}(\w+)(?: \[options\])?/gm)].map(m => m[1]).filter(c => c !== 'help');
    expect(listed.sort()).toEqual(commands.sort());
  });

  it('links only to files that exist', () => {
    const links = [...README.matchAll(/\]\(([^)#:]+)(#[^)]*)?\)/g)].map(m => m[1]);
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(existsSync(join(ROOT, link)), link).toBe(true);
  });

  it('stays short: about 200 lines, detail in docs/', () => {
    expect(README.split('\n').length).toBeLessThanOrEqual(230);
  });
});
