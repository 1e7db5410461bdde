// The one-page report in a real browser: it renders without console errors,
// the plot is visible, the call is in words, it prints on one A4 page; and
// a hostile sample name stays inert and well-formed in every output.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../browser.js';
import { ROOT, runCli, TEST_DATA, tempDir, toolAvailable } from '../helpers.js';

const haveChromium = toolAvailable('chromium');
const ARTIFACTS = join(ROOT, 'test', 'artifacts');

describe.skipIf(!haveChromium)('report.html in Chromium', () => {
  let browser: Browser;
  const out = tempDir('her2cn-report-');
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const s of ['T01', 'T04', 'T13']) expect(runCli(['call', join(TEST_DATA, `${s}.bam`), '--out', out, '--ihc', '1+', '--purity', '0.6']).status).toBe(0);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['T01', /ERBB2 AMPLIFIED/, /confirm by FISH/],
    ['T04', /ERBB2 AMPLIFIED/, /partial amplicon/],
    ['T13', /NO CALL: ERBB2 could not be assessed/, /NGS could not assess ERBB2/],
  ])('%s renders with the call in words, a visible plot, no console errors, on one A4 or Letter page', async (sample, callText, workupText) => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1270 } });
    const errors: string[] = [];
    page.on('console', m => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', e => errors.push(String(e)));
    const requests: string[] = [];
    page.on('request', r => requests.push(r.url()));
    await page.goto(`file://${join(out, `${sample}.report.html`)}`);
    expect(await page.locator('#call').innerText()).toMatch(callText);
    const body = await page.locator('body').innerText();
    expect(body).toMatch(workupText);
    if (sample === 'T13') {
      // a no-call reports no ERBB2 level anywhere a reader would take it from
      expect(body).toMatch(/ERBB2 level\s+not reported: QC failed \(the measured values, for review only and not a result, are in the JSON under measured_for_review\)/);
      const measured = JSON.parse(readFileSync(join(out, 'T13.her2cn.json'), 'utf8')).measured_for_review.log2;
      expect(body).not.toContain(measured.toFixed(2));
      expect(body).not.toMatch(/Fold change/);
      expect(readFileSync(join(out, 'T13.plot.svg'), 'utf8')).toMatch(/ERBB2 level not reported: QC failed/);
    }
    expect(body).toMatch(/the cut-off validated against FISH in the published cohort/);
    const plot = page.locator('#plot svg');
    expect(await plot.isVisible()).toBe(true);
    const box = (await plot.boundingBox())!;
    expect(box.width).toBeGreaterThan(600);
    expect(box.height).toBeGreaterThan(400);
    expect(errors).toEqual([]);
    // self-contained: nothing fetched but the file itself
    expect(requests.filter(u => !u.startsWith('file://'))).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, `${sample}.report.png`), fullPage: true });
    for (const format of ['A4', 'Letter'] as const) {
      const pdf = await page.pdf({ format, printBackground: true });
      expect((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length, format).toBe(1);
    }
    await page.close();
  });

  describe('a hostile sample name', () => {
    const name = '<script>window.pwned=1</script>"\'&\ttab\nline é/../../x';
    const dir = tempDir('her2cn-hostile-');
    let files: string[];
    beforeAll(() => {
      const r = runCli(['call', join(TEST_DATA, 'T01.bam'), '--sample', name, '--out', dir]);
      expect(r.status, r.stderr).toBe(0);
      files = readdirSync(dir);
    });

    it('gives file names that stay in the output folder', () => {
      expect(files).toHaveLength(6);
      for (const f of files) expect(f).toMatch(/^[A-Za-z0-9._-]+$/);
      // by the rule: every character outside A-Z a-z 0-9 . - _ becomes _
      expect(files).toContain('_script_window.pwned_1__script_____tab_line___.._.._x.her2cn.json');
    });

    const file = (ext: string) => join(dir, files.find(f => f.endsWith(ext))!);

    it('keeps the name exactly in JSON', () => {
      expect(JSON.parse(readFileSync(file('.her2cn.json'), 'utf8')).sample).toBe(name);
    });

    it('keeps the TSV one row per probe', () => {
      expect(readFileSync(file('.probes.tsv'), 'utf8').trim().split('\n')).toHaveLength(312);
    });

    it.skipIf(!toolAvailable('bcftools'))('keeps the VCF valid for bcftools, the sample column without tabs or line breaks', () => {
      const samples = execFileSync('bcftools', ['query', '-l', file('.her2cn.vcf')], { encoding: 'utf8' }).trim().split('\n');
      expect(samples).toEqual(['<script>window.pwned=1</script>"\'&_tab_line é/../../x']);
    });

    it('keeps SVG well-formed and HTML inert: the name shows as text, no script runs', async () => {
      const page = await browser.newPage();
      await page.goto(`file://${file('.plot.svg')}`);
      expect(await page.evaluate(() => document.documentElement.tagName)).toBe('svg');
      expect(await page.evaluate(() => document.querySelector('parsererror'))).toBeNull();
      await page.goto(`file://${file('.report.html')}`);
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      expect(await page.locator('body').innerText()).toContain('<script>window.pwned=1</script>');
      expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBe(0);
      await page.close();
    });
  });
});
