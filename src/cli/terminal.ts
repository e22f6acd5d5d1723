// What the CLI says on the terminal besides a command's result: progress on stderr (stdout stays
// clean for --format json), a progress bar when stderr is a terminal, a yes/no question.
import { createInterface } from 'node:readline/promises';

/** One line of progress, on stderr. */
export function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** A progress bar on a terminal, never in logs. */
export function progressBar(): ((done: number, total: number, what: string) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total, what) => {
    const width = 24;
    const filled = Math.round((done / total) * width);
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${what.padEnd(12)}${done === total ? '\n' : ''}`,
    );
  };
}

/** Asks on the terminal (the question on stderr); true for y or yes. */
export async function askYes(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(question);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}
