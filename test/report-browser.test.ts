// The HTML report as a security officer uses it, in headless Chromium (Debian's, installed by
// the setup): in Russian by default, the filters change what is shown (a district shows only its
// findings), the page has no console errors, and a screenshot of the sample's report is kept as a
// test artefact (out/test-artifacts/).
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from '../src/docs/html.js';
import { PROJECT_ROOT } from '../src/project.js';
import { checks } from '../src/workflows/run-checks.js';
import { inventoryWith, SAMPLE_INVENTORY } from './helpers/inventory.js';

const ARTIFACTS = path.join(PROJECT_ROOT, 'out', 'test-artifacts');
const BROWSER = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-sync',
  '--disable-background-networking',
  '--disable-component-update',
  '--enable-logging=stderr',
  '--log-level=0',
];

/** The page after its script ran, and what the console said. */
async function open(file: string, fragment = ''): Promise<{ dom: string; console: string[] }> {
  const r = await execa(CHROMIUM, [...BROWSER, '--dump-dom', `file://${file}${fragment}`], { timeout: 60_000 });
  return { dom: r.stdout, console: r.stderr.split('\n').filter((l) => /:CONSOLE/.test(l)) };
}

const shownFindings = (dom: string) =>
  [...dom.matchAll(/<details class="finding[^"]*"([^>]*)>/g)]
    .filter((m) => !/\shidden/.test(m[1]!))
    .map((m) => /data-district="([^"]*)"/.exec(m[1]!)![1]!);
const fragment = (filters: Record<string, string>) =>
  `#${Object.entries(filters)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&')}`;

let work: string;
let edited: string;
beforeAll(async () => {
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: scripts/setup-lab.sh installs Debian's chromium`).toBe(true);
  work = await mkdtemp(path.join(tmpdir(), 'prichal-report-'));
  // Findings in two districts: the sample's school in г. Тюмень, and the Ishim administration's workstation too.
  edited = await inventoryWith([
    { file: 'participants/ishim-district-admin.yaml', from: 'cryptoPro: 5.0.13000', to: 'cryptoPro: 4.0.9975' },
  ]);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(edited, { recursive: true, force: true });
});

describe('the HTML report in Chromium', () => {
  it('the sample report is in Russian, runs its script without console errors, and is kept as a screenshot', async () => {
    await checks({ kind: 'audit', inventory: SAMPLE_INVENTORY, at: '2026-11-23', out: path.join(work, 'sample') });
    const file = path.join(work, 'sample', 'audit.html');
    const html = await readFile(file, 'utf8');
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain('Проверка реестра (аудит)');
    expect(html).toContain('Координирующий орган');
    // The finding in the check's Russian wording; the evidence stays as the inventory has it.
    expect(html).toContain('КриптоПро CSP 4.0.9975 ниже рекомендуемой версии 5.0');
    expect(html).toContain('запланируйте обновление до КриптоПро CSP 5.0');
    expect(html).toContain('workstations.cryptoPro: 4.0.9975');
    const page = await open(file);
    expect(page.dom).toContain('data-ready="1"');
    expect(page.console).toEqual([]);
    await mkdir(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, 'audit-report-sample.png');
    await execa(
      CHROMIUM,
      [...BROWSER, '--hide-scrollbars', '--window-size=1280,1400', `--screenshot=${shot}`, `file://${file}`],
      { timeout: 60_000 },
    );
    expect((await stat(shot)).size).toBeGreaterThan(20_000);
  });

  it('filtered to one district, shows only that district’s findings; the other filters narrow further', async () => {
    await checks({ kind: 'audit', inventory: edited, at: '2026-11-23', out: path.join(work, 'edited') });
    const file = path.join(work, 'edited', 'audit.html');
    const all = shownFindings((await open(file)).dom);
    expect(new Set(all)).toEqual(new Set(['г. Тюмень', 'Ишимский район']));
    for (const district of ['Ишимский район', 'г. Тюмень']) {
      const page = await open(file, fragment({ district }));
      const shown = shownFindings(page.dom);
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.every((d) => d === district)).toBe(true);
      expect(shown.length).toBeLessThan(all.length);
      expect(page.dom).toContain(`id="shown">${shown.length}<`);
      expect(page.console).toEqual([]);
    }
    expect(shownFindings((await open(file, fragment({ district: 'Ишимский район', severity: 'error' }))).dom)).toEqual(
      [],
    );
    expect(shownFindings((await open(file, fragment({ requirement: 'WS-1', contour: 'test' }))).dom)).toEqual([]);
    await execa(
      CHROMIUM,
      [
        ...BROWSER,
        '--hide-scrollbars',
        '--window-size=1280,1000',
        `--screenshot=${path.join(ARTIFACTS, 'audit-report-ishim.png')}`,
        `file://${file}${fragment({ district: 'Ишимский район' })}`,
      ],
      { timeout: 60_000 },
    );
  });

  it('prints to PDF through the same browser', async () => {
    const file = path.join(work, 'edited', 'audit.html');
    const pdf = path.join(work, 'report.pdf');
    await execa(CHROMIUM, [...BROWSER, `--print-to-pdf=${pdf}`, '--no-pdf-header-footer', `file://${file}`], {
      timeout: 60_000,
    });
    expect((await readFile(pdf)).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
