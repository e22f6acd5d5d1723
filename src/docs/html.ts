// Print-ready HTML from a document's Markdown (marked), and PDF through headless Chromium when
// Debian's chromium is installed.
import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { marked } from 'marked';
import { htmlText } from '../escape.js';

const PRINT_CSS = `@page{size:A4;margin:20mm}body{font:12pt/1.45 "DejaVu Serif","Times New Roman",serif;color:#000;max-width:180mm;margin:0 auto}table{border-collapse:collapse;width:100%;margin:8pt 0}th,td{border:1px solid #000;padding:3pt 5pt;text-align:left;vertical-align:top;overflow-wrap:anywhere}th{background:#eee}p{margin:6pt 0}`;

export function documentHtml(title: string, markdown: string): string {
  return `<!doctype html>\n<html lang="ru"><head><meta charset="utf-8"><title>${htmlText(title)}</title><style>${PRINT_CSS}</style></head>\n<body>\n${marked.parse(markdown, { async: false })}</body></html>\n`;
}

export const CHROMIUM = '/usr/bin/chromium';

export async function htmlToPdf(htmlFile: string, pdfFile: string): Promise<boolean> {
  if (!existsSync(CHROMIUM)) return false;
  await execa(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', `--print-to-pdf=${pdfFile}`, '--no-pdf-header-footer', `file://${htmlFile}`], { timeout: 60_000 });
  return existsSync(pdfFile);
}
