// Every source that reads an edge reads it through here: one SSH session and one command per
// edge (after any apply in progress there), edges concurrently (bounded). The command runs each
// source's commands in turn, each output framed by marker lines on stdout and stderr, so that
// one command failing (a tool the host lacks) leaves only its own source unread.
import { mapBounded } from '../concurrency.js';
import { withEdge } from '../infra/edges.js';
import { readAfterApplies } from '../infra/edge-lock.js';
import type { PlannedEdge } from '../plan/index.js';
import { unreadable, type Collected } from './source.js';

/** The commands one source runs on every edge. */
export interface EdgePart {
  source: string;
  commands: readonly string[];
}

/** What one edge gave: each part's command outputs (or why a command failed), and the SSH commands that took. */
export interface EdgeRead {
  parts: Record<string, Collected<string[]>>;
  sshCommands: number;
}

/** The parts every edge runs, or each edge its own (a source whose commands differ per edge). */
export type EdgeParts = readonly EdgePart[] | ((edge: PlannedEdge) => readonly EdgePart[]);

export const partsOn = (parts: EdgeParts, edge: PlannedEdge): readonly EdgePart[] =>
  typeof parts === 'function' ? parts(edge) : parts;

export type EdgeSession = (
  edges: readonly PlannedEdge[],
  options: { parts: EdgeParts; concurrency?: number; onDone?: () => void },
) => Promise<Array<Collected<EdgeRead> & { edge: string }>>;

const MARK = '#prichal';
const EXIT = `${MARK}-exit`;
/** Marker lines cannot be mistaken for output: every command's output is JSON. */
const start = (source: string, index: number) => `${MARK} ${source} ${index}`;

/** The one shell command that runs every part's commands, each framed on both streams. */
export function edgeCommand(parts: readonly EdgePart[]): string {
  return parts
    .flatMap((part) =>
      part.commands.map((command, i) => {
        const mark = start(part.source, i);
        // A subshell each: a command that exits ends only itself.
        return `echo '${mark}'; echo '${mark}' >&2; (${command}); rc=$?; echo; echo "${EXIT} $rc"`;
      }),
    )
    .join('; ');
}

/** Text after each marker line, up to the next marker line (or the end), keyed by the marker. */
function sections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = `\n${text}`.split(`\n${MARK} `);
  for (const section of lines.slice(1)) {
    const eol = section.indexOf('\n');
    out.set(eol < 0 ? section : section.slice(0, eol), eol < 0 ? '' : section.slice(eol + 1));
  }
  return out;
}

/** Each part's outputs from the command's stdout and stderr: a part whose command failed or never ran is an error. */
export function splitEdgeOutput(
  stdout: string,
  stderr: string,
  parts: readonly EdgePart[],
): Record<string, Collected<string[]>> {
  const out = sections(stdout);
  const err = sections(stderr);
  const result: Record<string, Collected<string[]>> = {};
  for (const part of parts) {
    const outputs: string[] = [];
    let failed: string | undefined;
    for (const [i, command] of part.commands.entries()) {
      const key = `${part.source} ${i}`;
      const section = out.get(key);
      const exit = section?.lastIndexOf(`\n${EXIT} `);
      const code = section === undefined || exit === undefined || exit < 0 ? undefined : section.slice(exit).trim();
      if (code !== `${EXIT} 0`) {
        const detail = (err.get(key) ?? '').trim().slice(0, 500);
        failed = `'${command}' ${code ? `exited ${code.slice(EXIT.length + 1)}` : 'did not finish'}${detail ? `: ${detail}` : ''}`;
        break;
      }
      outputs.push(section!.slice(0, exit).trim());
    }
    result[part.source] = failed === undefined ? { ok: true, value: outputs } : { ok: false, error: failed };
  }
  return result;
}

export const readEdges: EdgeSession = (edges, { parts, concurrency = 8, onDone }) => {
  return mapBounded(edges, concurrency, async (edge) => {
    try {
      const own = partsOn(parts, edge);
      const command = edgeCommand(own);
      const out = await withEdge(edge, (conn) => readAfterApplies(conn, command), { connectTimeoutMs: 5_000 });
      return {
        edge: edge.id,
        ok: true as const,
        value: { parts: splitEdgeOutput(out.stdout, out.stderr, own), sshCommands: 1 },
      };
    } catch (error) {
      return { edge: edge.id, ok: false as const, error: unreadable(error) };
    } finally {
      onDone?.();
    }
  });
};
