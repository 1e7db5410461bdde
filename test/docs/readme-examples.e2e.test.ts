// The README's examples work verbatim after its install step: every line of
// its code blocks that runs `her2cn` is run as written, in that order, by
// bash in a fresh folder holding the clone's test-data/ and workflow/ (the
// files the examples name), with `her2cn` on PATH as the install step puts
// it there (here: the clone's bin/).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The lines starting with `her2cn` in the README's fenced code blocks after the one that installs, in order. */
export function readmeExamples(markdown: string): { install: string; examples: string[] } {
  const blocks = [...markdown.matchAll(/^```[a-z]*\n([^]*?)^```$/gm)].map(m => m[1].split('\n'));
  const at = blocks.findIndex(b => b.some(l => /^npm ci\b.*\bnpm link\b/.test(l)));
  return {
    install: at >= 0 ? blocks[at].join('\n').trim() : '',
    examples: blocks.slice(at + 1).flatMap(b => b.filter(l => /^her2cn\s/.test(l))),
  };
}

describe("the README's examples", () => {
  it('run verbatim, one after another, with her2cn on PATH', { timeout: 180_000 }, () => {
    const { install, examples } = readmeExamples(README);
    expect(install).toBe('npm ci && npm link');
    expect(examples.length).toBeGreaterThanOrEqual(4);
    const dir = tempDir('her2cn-readme-');
    for (const shared of ['test-data', 'workflow']) symlinkSync(join(ROOT, shared), join(dir, shared));
    const env = { ...process.env, PATH: `${join(ROOT, 'bin')}:${process.env.PATH}` };
    for (const line of examples) {
      const r = spawnSync('bash', ['-c', `set -euo pipefail; ${line}`], { cwd: dir, env, encoding: 'utf8' });
      expect(r.status, `${line}\n${r.stderr}`).toBe(0);
    }
    // what the examples say they write
    for (const f of ['pon.json.gz', 'results/T01.report.html', 'cohort/cohort.tsv', 'validation/validation.html']) expect(existsSync(join(dir, f)), f).toBe(true);
  });
});
