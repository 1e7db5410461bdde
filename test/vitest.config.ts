import { defineConfig } from 'vitest/config';

// Two parts, run one after the other by test/run.sh (`npm test`):
// - unit: *.test.ts, in-process tests of the code on small inputs: no CLI
//   spawned, no external tool, no simulated sample beyond a few records
//   (helpers.ts refuses runCli and toolAvailable there); under a minute.
// - e2e: *.e2e.test.ts, the CLI as users run it, the comparisons against
//   samtools, mosdepth, bcftools, Chromium and the workflow engines, and the
//   simulator's samples; fixtures several files share are made once per run
//   by e2e-setup.ts (fixtures.ts).
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    reporters: ['default', 'json'],
    // test/run.sh gives each part a file of its own
    outputFile: { json: 'test/artifacts/results.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.e2e.test.ts'],
          env: { HER2CN_TEST_PART: 'unit' },
          // In-process tests of pure code: worker threads sharing one module
          // graph start in a fraction of a fresh process per file (31 s -> 17 s
          // for the part on two cores). No unit test mocks a module or
          // changes the process's environment or folder.
          pool: 'threads',
          isolate: false,
          // Both cores: vitest's default leaves one free, and ran the part on one thread (25 s -> 15 s).
          maxWorkers: 2,
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.test.ts'],
          globalSetup: ['test/e2e-setup.ts'],
          // Two files at a time: most of their time is spent waiting on the
          // CLI or a tool they spawned, which the second core can serve.
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
