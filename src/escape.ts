// One escaping helper per output format: every renderer that puts inventory or live values into
// text for people goes through the helper of its format, so a name like
// `<script>alert(1)</script>`, a pipe or a newline is shown as text, never as markup, a broken
// table row, or a forged line in the terminal (test/escaping.test.ts feeds every
// renderer the same hostile strings).

// C0 and C1 controls and DEL, other than those each format handles itself.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const visible = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** HTML text and attribute values. */
export function htmlText(value: unknown): string {
  return String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/**
 * Markdown inline text, safe in a table cell: newlines become spaces, a pipe is escaped (GFM),
 * Markdown and HTML specials are backslash-escaped so a renderer shows them literally, other
 * control characters are dropped. (`#` and `&` need nothing inside a line: no heading starts there, and an entity shows as text.)
 */
export function markdownText(value: unknown): string {
  return String(value)
    .replace(/\r\n?|\n/g, ' ')
    .replace(CONTROLS, '')
    .replace(/([\\`*_[\]<>|])/g, '\\$1');
}

/** Human text on a terminal or in a log: one value stays on its line, control characters shown escaped. */
export function terminalText(value: unknown): string {
  return String(value).replace(CONTROLS, visible);
}
