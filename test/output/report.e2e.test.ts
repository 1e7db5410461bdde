// The one-page report in a real browser: it renders without console errors,
// the plot is visible, the call is in words, it prints on one A4 and one
// Letter page with no plot text under 7 pt on paper, the specimen block and
// the intended use are there; and a hostile sample name stays inert and
// well-formed in every output.
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
    const specimen = ['--specimen', 'core A2, left breast', '--accession', 'H26-01234', '--block', 'A2', '--tumour-content', '60%', '--collected', '2026-03-04'];
    // T18 at its own purity: the longest page of the committed cohort (an indeterminate answer, a GC flag, the work-up)
    for (const s of ['T01', 'T04', 'T07', 'T13', 'T18']) {
      const r = runCli(['call', join(TEST_DATA, `${s}.bam`), '--out', out, '--ihc', '1+', '--purity', s === 'T18' ? '0.7' : '0.6', ...(s === 'T01' ? specimen : [])]);
      expect(r.status, r.stderr).toBe(0);
    }
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['T01', /ERBB2 AMPLIFIED/, /confirm by FISH/],
    ['T04', /ERBB2 AMPLIFIED/, /partial amplicon/],
    // indeterminate, its reason naming the purity that would decide it: the longest assessment text
    ['T07', /ERBB2 INDETERMINATE/, /with the purity known exactly, at least 0\.\d\d would assess it not amplified/],
    ['T13', /NO CALL: ERBB2 could not be assessed/, /NGS could not assess ERBB2/],
    ['T18', /ERBB2 INDETERMINATE/, /with the purity known exactly/],
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
      // the purity was given: the page says so, and where the withheld chromosome-17 level is
      expect(body).toMatch(/Purity 0\.60 given; tumour-cell copies not estimated: no call \(QC failed\)/);
      expect(body).toMatch(/Rest of chromosome 17\s+not reported: QC failed \(the measured level, for review only, is in the JSON as chr17\.log2\)/);
    }
    if (sample === 'T04') {
      // part of ERBB2 amplified: the tumour-cell table says it is the gene level's, the part's copies are in the reasons
      expect(body).toMatch(/Tumour cells ERBB2's gene level; a part of the gene is judged under Why\. \(intervals over each level's 95% CI and the purity range\)/);
      expect(body).toMatch(/partial amplicon: ERBB2 probes \S+ to \S+ \(\d+ of \d+\) at [\d.]+ to [\d.]+ copies per tumour cell/);
    }
    expect(body).toMatch(/the cut-off validated against FISH in the published cohort/);
    const plot = page.locator('#plot svg');
    expect(await plot.isVisible()).toBe(true);
    const box = (await plot.boundingBox())!;
    // across the whole 190 mm column (718 px), about half as high
    expect(box.width).toBeGreaterThan(700);
    expect(box.height).toBeGreaterThan(350);
    expect(errors).toEqual([]);
    // self-contained: nothing fetched but the file itself
    expect(requests.filter(u => !u.startsWith('file://'))).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, `${sample}.report.png`), fullPage: true });
    // the intended use, the specimen block (blank lines to fill in where nothing was given), two decimals, never -0.00
    expect(await page.locator('#intended-use').innerText()).toMatch(/^Intended use\. ERBB2 \(HER2\) copy number/);
    const specimen = await page.locator('#specimen').innerText();
    if (sample === 'T01') for (const v of ['core A2, left breast', 'H26-01234', 'A2', '60%', '2026-03-04']) expect(specimen).toContain(v);
    else expect(await page.locator('#specimen td.blank').count()).toBe(5);
    expect(body).not.toMatch(/-0\.0+(?!\d)/);
    expect(body).toMatch(/Noise \(MAPD of probe log2\)\s+\d\.\d\d\s/);
    for (const format of ['A4', 'Letter'] as const) {
      const pdf = await page.pdf({ format, printBackground: true });
      expect((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length, format).toBe(1);
      // Laid out as printed (the page's width less the 9 mm margins): the plot spans the
      // 190 mm column and its smallest text measures at least 7 pt on paper.
      const widthMm = (format === 'A4' ? 210 : 215.9) - 18;
      await page.setViewportSize({ width: Math.floor((widthMm / 25.4) * 96), height: 1000 });
      await page.emulateMedia({ media: 'print' });
      const printed = await page.evaluate(() => {
        const svg = document.querySelector('#plot svg') as SVGSVGElement;
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent!.trim() !== '');
        const pt = texts.map(t => ({ text: t.textContent!, pt: parseFloat(getComputedStyle(t).fontSize) * scale * 0.75 }));
        return { widthMm: (svg.getBoundingClientRect().width / 96) * 25.4, smallest: pt.sort((a, b) => a.pt - b.pt)[0], count: pt.length };
      });
      expect(printed.count, format).toBeGreaterThan(60);
      expect(printed.widthMm, format).toBeGreaterThan(185);
      expect(printed.smallest.pt, `${format}: ${printed.smallest.text}`).toBeGreaterThanOrEqual(7);
      await page.emulateMedia({ media: 'screen' });
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
