// Documents and coverage on the sample inventory: golden files for every document of two
// participants, missing data named instead of printed blank, the HTML as a person sees it,
// and the coverage numbers against a table computed by hand.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { checkInventory } from '../src/requirements/index.js';
import {
  coverage,
  documentHtml,
  MissingDataError,
  renderDocument,
  type DocumentContext,
  type DocumentKind,
} from '../src/docs/index.js';
import type { ProbeProtocol } from '../src/infra/probe.js';
import { launchBrowser } from './helpers/browser.js';
import { inventoryWith, removeInventory, SAMPLE_INVENTORY } from './helpers/inventory.js';

let context: DocumentContext;
const probes: Record<string, ProbeProtocol> = {};
beforeAll(async () => {
  const checked = await checkInventory(SAMPLE_INVENTORY, '2026-11-23');
  context = { inventory: checked.validation.inventory, plan: checked.plan!, at: checked.at };
  for (const id of ['tmn-city-admin', 'tmn-sosh-12']) {
    probes[id] = JSON.parse(
      await readFile(path.join(import.meta.dirname, 'fixtures', `probe-test-${id}.json`), 'utf8'),
    ) as ProbeProtocol;
  }
});

const render = (kind: DocumentKind, id: string) =>
  renderDocument(kind, id, { ...context, probes: { test: probes[id]! } });

describe('documents', () => {
  const cases: Array<[string, DocumentKind[]]> = [
    ['tmn-city-admin', ['request-update', 'act', 'protocol', 'leased-line']],
    ['tmn-sosh-12', ['request-new', 'request-update', 'act', 'protocol']],
  ];
  it.each(cases)('every document of %s matches its golden file', async (id, kinds) => {
    for (const kind of kinds) {
      const doc = render(kind, id);
      await expect(doc.markdown).toMatchFileSnapshot(`golden/documents/${id}.${kind}.md`);
    }
  });

  it('keeps the support request wording; the update variant leaves out fields 5–7', () => {
    const fresh = render('request-new', 'tmn-sosh-12').markdown;
    expect(fresh).toContain(
      'Направляем информацию для **регистрации нового** абонента в Системе электронного документооборота и делопроизводства',
    );
    for (const field of [
      '1. | Наименование организации',
      '2. | ФИО руководителя',
      '3. | Делопроизводитель',
      '4. | Орган, осуществляющий координацию и контроль',
      '5. | Перечень журналов регистрации',
      '6. | Форматы номеров в журналах регистрации',
      '7. | Дата назначенного обучения',
    ]) {
      expect(fresh).toContain(field);
    }
    expect(fresh).toContain('Входящие: ВХ-{n:5}; Приказы: {n}-од');
    const update = render('request-update', 'tmn-sosh-12').markdown;
    expect(update).toContain('**актуализации данных**');
    expect(update).not.toMatch(/\| [567]\. \|/);
  });

  it('names missing data instead of printing an empty field', () => {
    const error = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e as MissingDataError;
      }
      throw new Error('expected a MissingDataError');
    };
    // The city joins through its own connector: no training date, so no "new subscriber" request.
    const noTraining = error(() => render('request-new', 'ishim-district-admin'));
    expect(noTraining).toBeInstanceOf(MissingDataError);
    expect(noTraining.fields).toEqual(['sed.training (7)']);
    expect(error(() => render('leased-line', 'tmn-sosh-12')).message).toContain('channel.type leased-line');
    expect(error(() => render('act', 'onokhino-sp')).fields).toContain('registrations.prod');
    expect(error(() => renderDocument('protocol', 'dep-obr', context)).fields).toEqual([
      'connectivity probe results (prichal probe)',
    ]);
  });

  it('escapes inventory text that would break the Markdown table', async () => {
    const dir = await inventoryWith([
      {
        file: 'participants/tmn-sosh-12.yaml',
        from: 'head: Петрова Анна Сергеевна',
        to: 'head: "Петрова | <b>Анна</b>"',
      },
    ]);
    const checked = await checkInventory(dir, '2026-11-23');
    const doc = renderDocument('request-update', 'tmn-sosh-12', {
      inventory: checked.validation.inventory,
      plan: checked.plan!,
      at: checked.at,
    });
    expect(doc.markdown).toContain('Петрова \\| \\<b\\>Анна\\</b\\>');
    expect(documentHtml('x', doc.markdown)).not.toContain('<b>Анна</b>');
    await removeInventory(dir);
  });
});

describe('document HTML in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it('shows every field of the connection act and the test protocol', async () => {
    const page = await browser.newPage();
    const act = render('act', 'tmn-city-admin');
    await page.setContent(documentHtml(act.title, act.markdown));
    const text = await page.locator('body').innerText();
    for (const value of [
      'Администрация города Тюмени',
      '7201001480',
      'TMN_CITY',
      'выделенная сеть',
      'ПАО «Ростелеком», канал TMN-L2-004512',
      '10.32.0.0/24, 10.32.1.0/24',
      '10.210.0.8',
      '10.220.0.6',
      '14.12.2023',
      '15.01.2024',
      'https://10.32.0.20:8443/connector/v2',
      'Алексеев Максим Викторович',
    ]) {
      expect(text).toContain(value);
    }
    expect(await page.locator('table').count()).toBe(3);
    const protocol = render('protocol', 'tmn-sosh-12');
    await page.setContent(documentHtml(protocol.title, protocol.markdown));
    // Tables: the header, the service test, the annex's reachable services and dropped flows.
    expect(await page.locator('table').nth(1).locator('tbody tr').count()).toBe(4);
    const rows = await page.locator('table').nth(3).locator('tbody tr').count();
    expect(rows).toBe(probes['tmn-sosh-12']!.denied.length);
    expect(await page.locator('body').innerText()).toContain('тестирование пройдено успешно');
    await page.close();
  });
});

/**
 * In the page: every word of a table cell (a run of non-spaces: a word, a date, a number; an
 * address's part up to its next slash, where it may break) whose letters lie on more than one
 * line, i.e. broken inside. A string, run by Chromium (no DOM types here).
 */
const WORDS_BROKEN_INSIDE = `(() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest('td, th')) continue;
    for (const m of node.data.matchAll(/[^\\s/]+\\/*|\\/+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.bottom)));
      if (lines.size > 1) broken.push(m[0]);
    }
  }
  return broken;
})()`;

/** A4's width less the 20 mm margins (170 mm at 96 px per inch): the width the PDF lays a page out at. */
const A4_CONTENT = { width: 642, height: 971 };

describe('documents printed on A4 (Chromium, print media)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it('break no word, date or address inside a table cell of the act or the protocol', async () => {
    const page = await browser.newPage({ viewport: A4_CONTENT });
    await page.emulateMedia({ media: 'print' });
    for (const doc of [
      render('act', 'tmn-city-admin'),
      render('protocol', 'tmn-sosh-12'),
      render('protocol', 'tmn-city-admin'),
    ]) {
      await page.setContent(documentHtml(doc.title, doc.markdown));
      expect(await page.evaluate<string[]>(WORDS_BROKEN_INSIDE), `${doc.participant} ${doc.kind}`).toEqual([]);
    }
    await page.close();
  });
});

describe('coverage', () => {
  it('matches the hand-computed table of the sample inventory', () => {
    // By hand, at 2026-11-23, connected to ЭДО = the СЭД's last stage or ГИС «ТОР СЭД»:
    // г. Тюмень: ОМСУ city (commissioned) ✓, city Duma (connector not commissioned) ✗ → 1/2; school № 12 ✓ → 1/1; mean 75.
    // Ишимский район: district (commissioned) ✓ → 1/1; its school ✓ → 1/1; mean 100.
    // Тюменский район: district ✓, Каскара ✓, Андреевское ✓, Винзили (ТОР СЭД only) ✓, Онохино (training ahead) ✗ → 4/5; no institutions.
    // Region: ОМСУ 6/8 = 75, institutions 2/2 = 100, mean 87,5. Regional bodies and hospitals are apart: 5/5.
    const c = coverage(context.inventory, '2026-11-23');
    const rows = Object.fromEntries(
      [c.region, ...c.districts].map((r) => [r.district, [r.average, r.omsu.percent, r.institutions.percent]]),
    );
    expect(rows).toEqual({
      'Итого по региону': [87.5, 75, 100],
      'г. Тюмень': [75, 50, 100],
      'Ишимский район': [100, 100, 100],
      'Тюменский район': [80, 80, null],
    });
    expect(c.regional).toEqual({ connected: 5, total: 5, percent: 100 });
    expect(c.settlements).toEqual([
      {
        district: 'Тюменский район',
        torSed: true,
        settlements: [
          {
            id: 'vinzili-gp',
            name: 'Администрация Винзилинского муниципального образования',
            type: 'г.п.',
            torSed: true,
          },
          {
            id: 'andreevsky-sp',
            name: 'Администрация Андреевского муниципального образования',
            type: 'с.п.',
            torSed: false,
          },
          {
            id: 'kaskara-sp',
            name: 'Администрация Каскаринского муниципального образования',
            type: 'с.п.',
            torSed: true,
          },
          {
            id: 'onokhino-sp',
            name: 'Администрация Онохинского муниципального образования',
            type: 'с.п.',
            torSed: false,
          },
        ],
      },
    ]);
    expect(c.target).toEqual({ year: 2026, percent: 46, gap: 0 });
  });
});
