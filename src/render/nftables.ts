// Renders an edge's complete `table inet prichal` from the plan. Participant policy lives in
// two concatenated sets, so the forward chain has the same few rules for 10 or 10,000
// participants and the kernel matches each packet with one set lookup.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';
import type { Flow, PlannedEdge } from '../plan/index.js';
import { TEMPLATES_DIR } from '../project.js';
import { FORWARD_CHAIN, PRICHAL_TABLE } from './nftables-model.js';


const TEMPLATE = readFileSync(path.join(TEMPLATES_DIR, 'nftables.nft.mustache'), 'utf8');

/**
 * nft has no escape sequences inside quoted strings, so a comment is reduced to characters
 * that cannot end the string, the statement or the line: letters, digits, space and . _ : / -
 * Quotes, newlines, ';', '{', '}' and '#' never reach the ruleset. nft caps comments at 128 bytes.
 */
export function nftComment(text: string): string {
  const safe = text.normalize('NFC').replace(/[^\p{L}\p{N} ._:/-]+/gu, ' ').replace(/\s+/g, ' ').trim();
  let out = '';
  for (const ch of safe) {
    if (Buffer.byteLength(out + ch) > 120) break;
    out += ch;
  }
  return `"${out}"`;
}

function element(flow: Flow, label: string): string {
  return `${flow.source} . ${flow.destination} . ${flow.port} comment ${nftComment(label)}`;
}

export interface RenderedRuleset {
  edge: string;
  text: string;
}

/** The nft input that replaces the table atomically: create-if-missing, delete, recreate. */
export function renderEdgeRuleset(edge: PlannedEdge): RenderedRuleset {
  const view = {
    edge: nftComment(edge.id).slice(1, -1),
    kind: edge.kind,
    participantCount: edge.participants.length,
    ingressCount: edge.ingress.length,
    egressCount: edge.egress.length,
    ingress: edge.ingress.map((f) => ({ element: element(f, `${f.participant} ${f.contour}`) })),
    egress: edge.egress.map((f) => ({ element: element(f, `${f.participant} ${f.contour} ${f.endpoint ?? ''}`) })),
    forwardRules: FORWARD_CHAIN.rules,
  };
  return { edge: edge.id, text: Mustache.render(TEMPLATE, view, {}, { escape: (value: string) => nftComment(String(value)).slice(1, -1) }) };
}

/** Wraps a table definition into one transaction that replaces exactly Prichal's table. */
export function replaceTableTransaction(tableText: string): string {
  const { family, name } = PRICHAL_TABLE;
  return `table ${family} ${name}\ndelete table ${family} ${name}\n${tableText}`;
}
