// Print-ready HTML from a document's Markdown (marked), and PDF through headless Chromium
// (Debian's chromium, which the setup installs).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { marked } from 'marked';
import { htmlText } from '../escape.js';
import { readRegular, writeAtomic } from '../files.js';
import { WordedError } from '../words.js';

/**
 * A4 print. A table cell breaks only between words (overflow-wrap: break-word — `anywhere` lets
 * the table shrink each column to a letter and broke words and dates mid-word); dates, times and
 * numbers are kept whole (.nw), and an address breaks only after its slashes.
 */
const PRINT_CSS = `@page{size:A4;margin:20mm}body{font:12pt/1.45 "DejaVu Serif","Times New Roman",serif;color:#000;max-width:180mm;margin:0 auto}table{border-collapse:collapse;width:100%;margin:8pt 0;font-size:10.5pt}th,td{border:1px solid #000;padding:3pt 5pt;text-align:left;vertical-align:top;overflow-wrap:break-word;hyphens:manual}th{background:#eee}p{margin:6pt 0}.nw{white-space:nowrap}`;

/** A date (ДД.ММ.ГГГГ, with its time), or a number with its unit or sign, kept on one line. */
const WHOLE = /\d{2}\.\d{2}\.\d{4}(?: \d{2}:\d{2})?|UTC[+−-]\d+(?::\d{2})?|№ ?[\w/-]+/g;
/** An address (a URL, a message type's URN): a break allowed after each of its slashes, nowhere else. */
const ADDRESS = /\b(?:https?|amqps?|urn):\/\/[^\s<]+/g;
const unbroken = (text: string) => `<span class="nw">${text}</span>`;

/** The text between tags, with its dates kept whole and its addresses breakable after slashes. */
function printable(html: string): string {
  return html.replace(
    />([^<]+)</g,
    (_, text: string) =>
      `>${text.replace(WHOLE, unbroken).replace(ADDRESS, (m) => (m.match(/[^/]+\/*|\/+/g) ?? []).map(unbroken).join('<wbr>'))}<`,
  );
}

export function documentHtml(title: string, markdown: string): string {
  return `<!doctype html>\n<html lang="ru"><head><meta charset="utf-8"><title>${htmlText(title)}</title><style>${PRINT_CSS}</style></head>\n<body>\n${printable(marked.parse(markdown, { async: false }))}</body></html>\n`;
}

export const CHROMIUM = '/usr/bin/chromium';

/** A PDF that was asked for and not made: Chromium is missing, failed, or printed nothing. */
export class PdfError extends WordedError {
  override readonly name = 'PdfError';
}

/** Largest PDF taken from Chromium (a document of a few pages is some 100 KB). */
const PDF_LIMIT = 64 * 1024 * 1024;

/**
 * Prints `htmlFile` to `pdfFile` through headless Chromium. The page is addressed by a proper file
 * URL (a folder named `a#b`, `a?b` or `a%20b` is that folder, not a fragment, query or escape);
 * Chromium prints into a folder of its own, and the PDF, checked to be one, is written by the
 * writing rule. A PDF not made is a PdfError naming the file, never a silent success.
 */
export async function htmlToPdf(htmlFile: string, pdfFile: string): Promise<void> {
  if (!existsSync(CHROMIUM))
    throw new PdfError({
      en: `${pdfFile}: no PDF: ${CHROMIUM} is not installed (Debian's chromium; scripts/setup-lab.sh installs it)`,
      ru: `${pdfFile}: PDF не сформирован: не установлен ${CHROMIUM} (пакет chromium Debian; его ставит scripts/setup-lab.sh)`,
    });
  const work = await mkdtemp(path.join(tmpdir(), 'prichal-pdf-'));
  try {
    const printed = path.join(work, 'document.pdf');
    try {
      await execa(
        CHROMIUM,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
          '--disable-sync',
          `--user-data-dir=${path.join(work, 'profile')}`,
          `--print-to-pdf=${printed}`,
          '--no-pdf-header-footer',
          pathToFileURL(path.resolve(htmlFile)).href,
        ],
        { timeout: 60_000 },
      );
    } catch (error) {
      const why = ((error as { shortMessage?: string }).shortMessage ?? (error as Error).message).split('\n')[0];
      throw new PdfError(
        {
          en: `${pdfFile}: no PDF: Chromium failed (${why})`,
          ru: `${pdfFile}: PDF не сформирован: ошибка Chromium (${why})`,
        },
        { cause: error },
      );
    }
    const read = readRegular(printed, { limit: PDF_LIMIT });
    if (!('bytes' in read) || read.bytes.subarray(0, 5).toString('latin1') !== '%PDF-') {
      throw new PdfError({
        en: `${pdfFile}: no PDF: Chromium printed nothing from ${htmlFile}`,
        ru: `${pdfFile}: PDF не сформирован: Chromium ничего не напечатал из ${htmlFile}`,
      });
    }
    await writeAtomic(pdfFile, read.bytes);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
