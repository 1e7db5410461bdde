// Regenerates the README's example plots (docs/*.png) from the test data:
// `npm run docs-images`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'her2cn-docs-'));
for (const [sample, name] of [['T01', 'plot-amplified.png'], ['T10', 'plot-not-amplified.png']]) {
  execFileSync(process.execPath, [join(root, 'bin', 'her2cn'), 'call', join(root, 'test-data', `${sample}.bam`), '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  copyFileSync(join(dir, `${sample}.plot.png`), join(root, 'docs', name));
}
rmSync(dir, { recursive: true, force: true });
