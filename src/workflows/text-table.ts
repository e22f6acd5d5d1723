// A table on the terminal: a heading row over its columns, each column as wide as its widest
// cell, two spaces between. The text renderers (plan, status) lay their lists out with it, so a
// reader sees what each column is instead of guessing from the values.

/** The table's lines: the heading, a rule under it, then the rows; every line starts with `indent`. */
export function textTable(head: readonly string[], rows: ReadonlyArray<readonly string[]>, indent = ''): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `${indent}${cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()}`;
  return [line(head), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)];
}
