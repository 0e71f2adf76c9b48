import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { scoreFile } from '../../cli/commands/score';
import { writeReport } from '../../cli/commands/report';
import { exampleSeries } from '../../models/build-examples';

/**
 * `residual report` end to end: real scoring of the example model, the page opened in Debian's chromium
 * (headless, driven by playwright-core). CI installs chromium (.ci/run). Without it these tests are not
 * skipped: they fail, saying what to install (a skipped suite would let CI pass without ever opening a page).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const readLines = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n');

const MODEL = join(__dirname, '../../models/sensors');
const SAMPLE = join(__dirname, '../../models/sensors-sample.csv');
let dir: string;
let browser: Browser | undefined;
let labelled: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'residual-report-'));
  const lines = (await readFile(SAMPLE, 'utf8')).trimEnd().split('\n');
  const labels = exampleSeries().test.labels;
  labelled = join(dir, 'labelled.csv');
  await writeFile(labelled, lines.map((l, i) => `${l},${i === 0 ? 'label' : labels[i - 1]}`).join('\n') + '\n');
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
});

/** Opens the report as a file:// page; returns what the DOM holds and every request the page made. */
async function open(file: string, screenshot?: string) {
  const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  // browser-side code is passed as text: the project compiles without the DOM library
  const dom = (await page.evaluate(`({
    figures: Array.from(document.querySelectorAll('figure')).map((f) => ({
      title: f.querySelector('h3')?.textContent ?? '',
      svgs: f.querySelectorAll('svg').length,
      paths: f.querySelectorAll('svg path').length,
      width: f.querySelector('svg')?.getBoundingClientRect().width ?? 0,
    })),
    text: document.body.innerText,
    scripts: document.querySelectorAll('script').length,
  })`)) as { figures: { title: string; svgs: number; paths: number; width: number }[]; text: string; scripts: number };
  const png = screenshot ? await page.screenshot({ path: screenshot, fullPage: true }) : null;
  await page.close();
  return { dom, requests, png };
}

/** Pixel statistics of a PNG, decoded by the browser itself (a blank page has ~zero variance). */
async function pixelStats(png: Buffer): Promise<{ width: number; height: number; variance: number; distinct: number }> {
  const page = await browser!.newPage();
  const stats = (await page.evaluate(`(async () => {
    const img = new Image();
    img.src = 'data:image/png;base64,${png.toString('base64')}';
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    let sum = 0;
    let sq = 0;
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4) {
      const g = (data[i] + data[i + 1] + data[i + 2]) / 3;
      sum += g;
      sq += g * g;
      if (i % 64 === 0) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    }
    const n = data.length / 4;
    return { width: img.width, height: img.height, variance: sq / n - (sum / n) ** 2, distinct: colours.size };
  })()`)) as { width: number; height: number; variance: number; distinct: number };
  await page.close();
  return stats;
}

describe('residual report in a real browser', () => {
  test('detect: the charts are inline SVG in the DOM, no request leaves the page, the screenshot is not blank', async () => {
    const scored = join(dir, 'scored.csv');
    await scoreFile({ model: MODEL, input: labelled, output: scored });
    const html = join(dir, 'detect.html');
    const result = await writeReport({ scored, output: html, model: MODEL, labelColumn: 'label' });
    expect(result).toMatchObject({ mode: 'detect', rows: 1000 });
    const shots = join(dir, 'shots');
    await mkdir(shots, { recursive: true });
    const { dom, requests, png } = await open(html, join(shots, 'detect.png'));
    expect(requests).toEqual([`file://${html}`]);
    expect(dom.scripts).toBe(0);
    expect(dom.figures.map((f) => f.title)).toEqual([
      'Anomaly score over the rows',
      // residual score writes anomaly_probability (issue 12), which the report charts when it is there
      'Anomaly probability over the rows',
      'How the scores are distributed',
      'Which features the flagged rows differ in',
      'Drift: mean score over the rows',
    ]);
    for (const f of dom.figures) {
      expect(f.svgs).toBe(1);
      expect(f.paths).toBeGreaterThan(10);
      expect(f.width).toBeGreaterThan(500);
    }
    expect(dom.text).toMatch(/WHAT WAS CHECKED/i);
    expect(dom.text).toMatch(/1000 rows of .*scored by model 'sensors' version 1/);
    expect(dom.text).toMatch(/\d+ of 1000 scored rows were flagged/);
    expect(dom.text).toMatch(/Against the labels: \d+ of \d+ labelled rows were flagged/);
    expect(dom.text).toMatch(/Row \d+ has the highest score/);
    expect(png!.length).toBeGreaterThan(50000);
    const stats = await pixelStats(png!);
    expect(stats.width).toBe(1100);
    expect(stats.height).toBeGreaterThan(1500);
    expect(stats.variance).toBeGreaterThan(100);
    expect(stats.distinct).toBeGreaterThan(20);
    process.stderr.write(`report screenshot: ${join(shots, 'detect.png')}\n`);
  });

  test('embed, impute and denoise reports each draw their own chart', async () => {
    const embedded = join(dir, 'embedded.csv');
    await scoreFile({ model: MODEL, input: labelled, output: embedded, mode: 'embed' });
    const lines = (await readFile(SAMPLE, 'utf8')).trimEnd().split('\n');
    const gappy = join(dir, 'gappy.csv');
    await writeFile(gappy, lines.map((l, i) => (i > 0 && i % 6 === 0 ? l.replace(/,[^,]+$/, ',') : l)).join('\n') + '\n');
    const filled = join(dir, 'filled.csv');
    await scoreFile({ model: MODEL, input: gappy, output: filled, mode: 'impute' });
    const noisy = join(dir, 'noisy.csv');
    await writeFile(
      noisy,
      lines
        .map((l, i) =>
          i === 0
            ? l
            : l
                .split(',')
                .map((c, j) => (j === 0 ? c : (Number(c) + Math.sin(i * j) * 0.8).toFixed(4)))
                .join(','),
        )
        .join('\n') + '\n',
    );
    const denoised = join(dir, 'denoised.csv');
    await scoreFile({ model: MODEL, input: noisy, output: denoised, mode: 'denoise' });
    // what the report must find: every empty feature cell of the input filled; the most-filled feature charted first
    const header = lines[0]!.split(',');
    const empties = header.map(
      (_, j) =>
        readLines(gappy)
          .slice(1)
          .filter((l) => l.split(',')[j] === '').length,
    );
    const most = header[empties.indexOf(Math.max(...empties.slice(1)), 1)]!;
    const totalEmpty = empties.slice(1).reduce((a, b) => a + b, 0);
    const cases = [
      { opts: { scored: embedded, labelColumn: 'label' }, title: 'Latent space in 2-D', text: /coloured by 'label'/ },
      {
        opts: { scored: filled, input: gappy },
        title: `${most}: values after filling, filled cells marked`,
        text: new RegExp(`${totalEmpty} empty cell\\(s\\) were filled`),
      },
      {
        opts: { scored: denoised, input: noisy, reference: SAMPLE },
        title: 'sensor_0: noisy and denoised',
        text: /compared with the noisy input and the clean reference/,
      },
    ];
    for (const c of cases) {
      const html = join(dir, `${c.title.slice(0, 8).replace(/\W/g, '')}.html`);
      await writeReport({ ...c.opts, output: html, model: MODEL });
      const { dom, requests } = await open(html);
      expect(requests).toEqual([`file://${html}`]);
      expect(dom.figures[0]).toMatchObject({ title: c.title, svgs: 1 });
      expect(dom.figures[0]!.paths).toBeGreaterThan(5);
      expect(dom.text).toMatch(c.text);
    }
  });
});
