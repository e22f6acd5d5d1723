// A tolerant, read-only parser of the ViPNet coordinator's configuration file iplir.conf, so that
// an audit can read what the hub's coordinator tunnels for each participant. Prichal never writes
// this file; nothing here renders one. Pure: text in, a model out, every defect a problem with its
// line number, never an exception.
//
// The format, from public sources (no Infotecs reference manual was at hand in full):
//  - https://github.com/kengho/vipnet_parser (spec/fixtures/iplirconf/iplir.conf, iplir03.conf and
//    lib/vipnet_parser/iplirconf.rb): ViPNet 3.x and 4.2 files as a coordinator holds them. Sections
//    in brackets, `[id]` once per node (the coordinator's own first), then `[adapter]` (one per
//    interface), `[dynamic]`, `[misc]` (`config_version= 4.2.3-3` from 4.x on), `[debug]`,
//    `[servers]` (`server= 0x1a0e000a, coordinator1`), `[virtualip]`, `[visibility]`. Lines are
//    written `key= value` (no space before `=`, one after); `#` starts a comment line, and
//    `[virtualip]` carries a `;` one. The pseudo-nodes 0xffffffff ("Encrypted broadcasts") and
//    0xfffffffe ("Main Filter") carry filters only. `tunnel= 192.0.2.100-192.0.2.200 to
//    192.0.2.100-192.0.2.200`; `filterudp= 2046, 0-65535, pass, recv`. That gem reads the file as
//    KOI8-R by default; its README takes the network number as the id's upper half
//    (0x1a0e000c → 6670).
//  - https://github.com/kengho/vipnet-interface-rails (test/fixtures/iplirconfs/
//    09_0x1a0e000a_moved_to_v4.conf): in 4.x `ip=` may carry a real and a virtual address
//    (`ip= 192.0.2.55, 198.51.100.2`), `accessiplist=` and `exclude_from_tunnels=` appear.
//  - https://github.com/tursanov/sterm-3.0.x (base/iplir.c, base/iplir.h): a C reader and writer
//    of iplir.conf for ViPNet Client 2.8-166. Keys of `[id]`: id, name, ip, firewallip, port,
//    proxyid, virtualip, forcereal, filterdefault, filtertcp, filterudp, filtericmp, filterip,
//    filterservice, tunnel, version, dynamic_firewallip, dynamic_port, usefirewall. Filters read
//    `<local ports>, <remote ports>, <pass|drop>, <send|recv|any>[, disable]` (the action left
//    empty in a `[service]` section), `filterip= <protocol number>`, `filterservice= <name>,
//    <pass|drop>[, inform]`; a tunnel is `a-b to c-d`; a comment is a line starting with `#`.
//  - http://infotecs.biz/Docs/ViPNet_OFFICE_Administrator_Guide/303.htm: the broadcast filter
//    ("broadcast IP packets for all protected hosts") and the main filter ("all IP packets") of
//    the private network, the two pseudo-nodes above.
//
// Assumed where the sources are silent (each choice is the tolerant one):
//  - Keys and section names are matched case-insensitively and stored lowercased; spaces around
//    `=` are allowed. A comment is a whole line starting with `#` or `;`: a `#` or `;` inside a
//    value is part of it (node names may hold either), so there are no trailing comments.
//  - Line ends CRLF, LF or a lone CR; a leading BOM is dropped; values are trimmed.
//  - A tunnel side is a range `a-b` or a single address `a` (first = last); spaces around `-`
//    and around `to` are allowed; addresses are dotted-decimal IPv4 without leading zeros (the C
//    reader's inet_addr would take 010 as octal, so such a text is ambiguous and refused); a
//    range whose first address is above its last is refused.
//  - Node ids are written `0x` and one to eight hex digits (either case); `idText` keeps the text
//    as written. A node's `ip=` values are kept as written, including 4.x "real, virtual" pairs.
//  - Every `filter…` key other than `filterdefault` is a filter rule, kept raw; `filterdefault` is
//    kept as written (pass, drop) and is absent when the section has none.
//  - A scalar key repeated in one `[id]` section (name, accessip, firewallip, filterdefault,
//    version, id) keeps its first value; the others are problems. Keys the parser does not know
//    are kept in `other` in file order, repeated ones included.

/** The pseudo-node whose filters apply to encrypted broadcasts. */
export const BROADCAST_FILTER_ID = 0xffffffff;
/** The pseudo-node whose filters apply to every protected node (the main filter). */
export const MAIN_FILTER_ID = 0xfffffffe;

export type IplirNodeKind = 'node' | 'main-filter' | 'broadcast-filter';

/** One `key= value` line: the key lowercased, the value trimmed, the line 1-based. */
export interface IplirEntry {
  key: string;
  value: string;
  line: number;
}

export interface IplirRange {
  first: string;
  last: string;
}

/** One `tunnel=` line: the addresses of `from` reach those of `to` through the node. */
export interface IplirTunnel {
  from: IplirRange;
  to: IplirRange;
  line: number;
  /** The value as written. */
  text: string;
}

/** A filter rule (`filtertcp=`, `filterudp=`, `filtericmp=`, `filterip=`, `filterservice=`…), raw. */
export interface IplirFilter {
  key: string;
  value: string;
  line: number;
}

export interface IplirNode {
  /** Unsigned 32-bit. */
  id: number;
  /** The id as written. */
  idText: string;
  /** The upper 16 bits of the id. */
  network: number;
  kind: IplirNodeKind;
  name?: string;
  ips: string[];
  accessIp?: string;
  firewallIp?: string;
  tunnels: IplirTunnel[];
  filterDefault?: string;
  filters: IplirFilter[];
  version?: string;
  /** The line of the section header. */
  line: number;
  /** Every other key of the section, its values in file order. */
  other: Record<string, string[]>;
}

/** A section other than `[id]`, by its lowercased name; repeated sections (`[adapter]`) stay apart. */
export interface IplirSection {
  name: string;
  line: number;
  entries: IplirEntry[];
}

export type IplirProblemCode =
  | 'malformed-line'
  | 'empty-key'
  | 'outside-section'
  | 'bad-section-header'
  | 'bad-id'
  | 'section-without-id'
  | 'duplicate-id'
  | 'repeated-key'
  | 'bad-tunnel';

export interface IplirProblem {
  code: IplirProblemCode;
  line: number;
  message: string;
  /** The line as written (trimmed). */
  text: string;
  /** For a section that could not be read as such (no valid id, a broken header): its entries. */
  entries?: IplirEntry[];
}

export interface IplirConf {
  source?: string;
  /** The `[id]` sections with a valid id, in file order; the coordinator's own is one of them. */
  nodes: IplirNode[];
  /** Every other section, in file order. */
  sections: IplirSection[];
  /** In line order. */
  problems: IplirProblem[];
}

// ---- encoding ----------------------------------------------------------------------------------

/**
 * How the bytes are read: KOI8-R, the coordinator's own encoding, unless they start with a UTF-8
 * BOM or are valid UTF-8 holding at least one Cyrillic letter (U+0400–U+04FF). Russian text in
 * KOI8-R is practically never valid UTF-8: its letters are bytes 0xC0–0xFF, which UTF-8 only
 * allows as lead bytes followed by continuation bytes 0x80–0xBF (where KOI8-R has box-drawing
 * characters and ё), so any two letters in a row (every word) make the bytes invalid UTF-8. A copy
 * someone re-saved as UTF-8 is therefore recognised without a flag. Pure ASCII reads the same
 * either way (reported as KOI8-R); valid UTF-8 with non-ASCII characters but no Cyrillic is read
 * as KOI8-R, by assumption.
 */
export function detectIplirEncoding(bytes: Uint8Array): 'koi8-r' | 'utf-8' {
  return readBytes(bytes).encoding;
}

/** The file's text: KOI8-R, or UTF-8 when the bytes say so (see detectIplirEncoding). */
export function decodeIplirConf(bytes: Uint8Array): string {
  return readBytes(bytes).text;
}

function readBytes(bytes: Uint8Array): { encoding: 'koi8-r' | 'utf-8'; text: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    // The decoder drops the BOM itself; an invalid sequence after it becomes U+FFFD, not an error.
    return { encoding: 'utf-8', text: new TextDecoder('utf-8').decode(bytes) };
  }
  if (bytes.some((b) => b >= 0x80)) {
    let utf8: string | undefined;
    try {
      utf8 = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      utf8 = undefined;
    }
    if (utf8 !== undefined && /[\u0400-\u04ff]/.test(utf8)) return { encoding: 'utf-8', text: utf8 };
  }
  return { encoding: 'koi8-r', text: new TextDecoder('koi8-r').decode(bytes) };
}

// ---- ids and versions --------------------------------------------------------------------------

/** The network number of a node id: its upper 16 bits (0x1a0e000a → 6670). */
export function nodeNetwork(id: number): number {
  return id >>> 16;
}

/** `0x` and eight lowercase hex digits, as iplir.conf writes ids. */
export function formatNodeId(id: number): string {
  return `0x${(id >>> 0).toString(16).padStart(8, '0')}`;
}

/** A node id written `0x` + one to eight hex digits (either case), or undefined. */
export function parseNodeId(text: string): number | undefined {
  const t = text.trim();
  if (!/^0[xX][0-9a-fA-F]{1,8}$/.test(t)) return undefined;
  return Number.parseInt(t.slice(2), 16) >>> 0;
}

export function nodeKind(id: number): IplirNodeKind {
  if (id === BROADCAST_FILTER_ID) return 'broadcast-filter';
  if (id === MAIN_FILTER_ID) return 'main-filter';
  return 'node';
}

/**
 * Orders software versions such as `4.5.3-57`, `3.2-672` or `3.2.x`: parts split at dots, dashes,
 * underscores and spaces, a leading `v` ignored. Parts compare by their leading number, then by
 * the rest as text (`57` < `57a`); a part without a number (`x`) sorts before any numbered one, and
 * a missing part counts as 0 (`4.5` = `4.5.0`). Returns -1, 0 or 1.
 */
export function compareVersions(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const c = comparePart(pa[i] ?? '0', pb[i] ?? '0');
    if (c !== 0) return c;
  }
  return 0;
}

function versionParts(version: string): string[] {
  const v = version.trim().replace(/^[vV]/, '');
  return v === '' ? [] : v.split(/[.\-_\s]+/).filter((p) => p !== '');
}

function comparePart(a: string, b: string): number {
  const na = leadingDigits(a);
  const nb = leadingDigits(b);
  if (na === '' && nb !== '') return -1;
  if (na !== '' && nb === '') return 1;
  if (na !== '') {
    const c = compareDigits(na, nb);
    if (c !== 0) return c;
  }
  const ra = a.slice(na.length).toLowerCase();
  const rb = b.slice(nb.length).toLowerCase();
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}

function leadingDigits(s: string): string {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
  return s.slice(0, i);
}

/** Decimal digit strings of any length, by value. */
function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

// ---- the parser --------------------------------------------------------------------------------

/** A section being read: an `[id]`, another one, or one whose header could not be read. */
interface Open {
  name: string;
  line: number;
  /** The header as written. */
  header: string;
  entries: IplirEntry[];
  /** Set for a broken header: the entries go to that problem. */
  broken?: IplirProblem;
}

/**
 * Reads iplir.conf text (see decodeIplirConf for bytes). One pass over the lines; `[id]` sections
 * become nodes when they end. Never throws: every line it cannot use is a problem with its number.
 */
export function parseIplirConf(text: string, source?: string): IplirConf {
  const conf: IplirConf = { nodes: [], sections: [], problems: [] };
  if (source !== undefined) conf.source = source;
  const problem = (code: IplirProblemCode, line: number, message: string, lineText: string) => {
    const p: IplirProblem = { code, line, message, text: lineText };
    conf.problems.push(p);
    return p;
  };
  const lines = text.split(/\r\n|\n|\r/);
  const lineText = (n: number) => (lines[n - 1] ?? '').trim();
  const seen = new Map<number, number>();
  let open: Open | undefined;

  const close = () => {
    if (open === undefined || open.broken !== undefined) return;
    if (open.name === 'id') {
      const node = readNode(open, problem, lineText);
      if (node === undefined) {
        const message = 'an [id] section without a valid id= is not a node';
        const p = problem('section-without-id', open.line, message, open.header);
        p.entries = open.entries;
      } else {
        const first = seen.get(node.id);
        if (first !== undefined) {
          const message = `node ${formatNodeId(node.id)} is already described at line ${first}`;
          problem('duplicate-id', open.line, message, open.header);
        } else {
          seen.set(node.id, open.line);
        }
        conf.nodes.push(node);
      }
    } else {
      conf.sections.push({ name: open.name, line: open.line, entries: open.entries });
    }
  };

  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    // trim() also drops U+FEFF, so a BOM before the first line goes with the indentation.
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    const c = line.charCodeAt(0);
    if (c === 0x23 || c === 0x3b) continue; // # or ;

    if (c === 0x5b) {
      // [
      close();
      const end = line.indexOf(']');
      const name = end < 0 ? '' : line.slice(1, end).trim().toLowerCase();
      if (name === '') {
        const p = problem('bad-section-header', n, 'a section header needs a name in brackets: [name]', line);
        p.entries = [];
        open = { name: '', line: n, header: line, entries: p.entries, broken: p };
        continue;
      }
      const rest = line.slice(end + 1).trim();
      if (rest !== '' && rest[0] !== '#' && rest[0] !== ';') {
        problem('bad-section-header', n, `text after the section header [${name}] is ignored`, line);
      }
      open = { name, line: n, header: line, entries: [] };
      continue;
    }

    const eq = line.indexOf('=');
    if (eq < 0) {
      problem('malformed-line', n, 'neither a section header, a comment nor a key= value line', line);
      continue;
    }
    const key = line.slice(0, eq).trim().toLowerCase();
    if (key === '') {
      problem('empty-key', n, 'a value without a key', line);
      continue;
    }
    if (open === undefined) {
      problem('outside-section', n, 'a key= value line before the first section', line);
      continue;
    }
    open.entries.push({ key, value: line.slice(eq + 1).trim(), line: n });
  }
  close();
  // A section's problems are found when it ends; sorted (stably), they read in file order.
  conf.problems.sort((a, b) => a.line - b.line);
  return conf;
}

type Report = (code: IplirProblemCode, line: number, message: string, text: string) => IplirProblem;

const SCALARS = new Set(['name', 'accessip', 'firewallip', 'filterdefault', 'version']);

function readNode(section: Open, problem: Report, lineText: (n: number) => string): IplirNode | undefined {
  let id: { value: number; text: string } | undefined;
  const scalars = new Map<string, IplirEntry>();
  const ips: string[] = [];
  const tunnels: IplirTunnel[] = [];
  const filters: IplirFilter[] = [];
  const other: Record<string, string[]> = Object.create(null);
  const asWritten = (e: IplirEntry) => lineText(e.line);

  for (const e of section.entries) {
    if (e.key === 'id') {
      if (id !== undefined) {
        problem('repeated-key', e.line, `id= repeated; the node keeps ${id.text}`, asWritten(e));
        continue;
      }
      const value = parseNodeId(e.value);
      if (value === undefined) {
        problem('bad-id', e.line, `not a node id (0x and up to eight hex digits): "${e.value}"`, asWritten(e));
      } else {
        id = { value, text: e.value };
      }
    } else if (SCALARS.has(e.key)) {
      const first = scalars.get(e.key);
      if (first !== undefined) {
        problem('repeated-key', e.line, `${e.key}= repeated; the node keeps line ${first.line}`, asWritten(e));
      } else {
        scalars.set(e.key, e);
      }
    } else if (e.key === 'ip') {
      ips.push(e.value);
    } else if (e.key === 'tunnel') {
      const tunnel = parseTunnel(e.value);
      if (typeof tunnel === 'string') {
        problem('bad-tunnel', e.line, tunnel, asWritten(e));
      } else {
        tunnels.push({ ...tunnel, line: e.line, text: e.value });
      }
    } else if (e.key.startsWith('filter')) {
      filters.push({ key: e.key, value: e.value, line: e.line });
    } else {
      const values = other[e.key];
      if (values === undefined) other[e.key] = [e.value];
      else values.push(e.value);
    }
  }
  if (id === undefined) return undefined;

  const node: IplirNode = {
    id: id.value,
    idText: id.text,
    network: nodeNetwork(id.value),
    kind: nodeKind(id.value),
    ips,
    tunnels,
    filters,
    line: section.line,
    other,
  };
  const scalar = (key: string) => scalars.get(key)?.value;
  const name = scalar('name');
  if (name !== undefined) node.name = name;
  const accessIp = scalar('accessip');
  if (accessIp !== undefined) node.accessIp = accessIp;
  const firewallIp = scalar('firewallip');
  if (firewallIp !== undefined) node.firewallIp = firewallIp;
  const filterDefault = scalar('filterdefault');
  if (filterDefault !== undefined) node.filterDefault = filterDefault;
  const version = scalar('version');
  if (version !== undefined) node.version = version;
  return node;
}

/** `a-b to c-d`, either side possibly a single address; a message when the text is not one. */
export function parseTunnel(value: string): { from: IplirRange; to: IplirRange } | string {
  const words = value.trim().split(/\s+/);
  const at = words.findIndex((w) => w.toLowerCase() === 'to');
  if (at < 1 || at === words.length - 1 || words.slice(at + 1).some((w) => w.toLowerCase() === 'to')) {
    return `a tunnel is "<first>-<last> to <first>-<last>" (or single addresses): "${value}"`;
  }
  const from = parseRange(words.slice(0, at).join(''));
  if (typeof from === 'string') return from;
  const to = parseRange(words.slice(at + 1).join(''));
  if (typeof to === 'string') return to;
  return { from, to };
}

function parseRange(text: string): IplirRange | string {
  const dash = text.indexOf('-');
  const first = dash < 0 ? text : text.slice(0, dash);
  const last = dash < 0 ? text : text.slice(dash + 1);
  const a = ipv4(first);
  const b = ipv4(last);
  if (a === undefined || b === undefined) return `not an IPv4 address or range: "${text}"`;
  if (a > b) return `a range from ${first} down to ${last}`;
  return { first, last };
}

/** A dotted-decimal IPv4 address without leading zeros, as an unsigned number. */
function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(?:0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}
