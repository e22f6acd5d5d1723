// The hub's ViPNet coordinator on the lab: edge-1 carries an iplir.conf the lab writes from the
// inventory with a writer of its own (KOI8-R, CRLF), so drift's audit is not checked against
// Prichal's renderer. An administrator's edits — a widened range, a foreign node, a removed node,
// a permissive filter, an older version — are each found for the right participant with the
// file's lines as evidence; a FIFO where the file should be leaves the coordinator unchecked
// instead of hanging the run.
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { labCoordinatorConfig, writeLabCoordinatorConfig } from '../../lab/coordinator.js';
import type { Plan, PlannedCoordinator } from '../../src/plan/index.js';
import { prichal } from '../helpers/cli.js';
import { edge, loadSample } from './lab.js';

const EDGE = 'prichal-lab-edge-1';
let plan: Plan;
let hub: PlannedCoordinator;

const onEdge = (command: string) => execa('docker', ['exec', EDGE, 'bash', '-c', command]);
const restore = () =>
  writeLabCoordinatorConfig(EDGE, hub.config!, labCoordinatorConfig(hub, edge(plan, 'edge-1').transit));

interface Finding {
  requirement: string;
  participant?: string;
  severity: string;
  message: string;
  evidence: string;
}
async function drift(): Promise<{
  findings: Finding[];
  unchecked: Array<{ subject: string; requirements: string[]; reason: string }>;
}> {
  const run = await prichal(['drift', '--format', 'json', '--lang', 'en']);
  return JSON.parse(run.stdout);
}
const vipnet = (findings: Finding[]) =>
  findings
    .filter((f) => ['CH-6', 'CH-7', 'CH-8', 'CH-9'].includes(f.requirement))
    .map((f) => `${f.requirement} ${f.severity} ${f.participant ?? '-'}`)
    .sort();

beforeAll(async () => {
  ({ plan } = await loadSample());
  hub = plan.coordinators.find((c) => c.edge === 'edge-1')!;
  await restore();
});
afterEach(restore);
afterAll(restore);

describe("the hub's coordinator, audited read-only", () => {
  it('as the lab wrote it from the inventory: nothing to report, the file read in the edge session', async () => {
    const result = await drift();
    expect(vipnet(result.findings)).toEqual([]);
    expect(result.unchecked).toEqual([]);
    // KOI8-R on the edge: the Russian names are not UTF-8 there.
    const head = await execa('docker', ['exec', EDGE, 'head', '-c', '200', hub.config!], { encoding: 'buffer' });
    const bytes = Buffer.from(head.stdout);
    expect(bytes.includes(Buffer.from('Координатор'))).toBe(false);
    expect(bytes.includes(Buffer.from('Координатор', 'latin1'))).toBe(false);
    expect(bytes.includes(Buffer.from('\r\n'))).toBe(true);
    // «Координатор» in KOI8-R: к=0xCB о=0xCF о=0xCF р=0xD2 ...
    expect(bytes.includes(Buffer.from([0xcb, 0xcf, 0xcf, 0xd2, 0xc4, 0xc9, 0xce, 0xc1, 0xd4, 0xcf, 0xd2]))).toBe(true);
  });

  it('finds a widened range, a foreign node, a removed node, a permissive filter and an older version', async () => {
    const obr = hub.tunnels.find((t) => t.participant === 'dep-obr')!;
    const ishim = hub.tunnels.find((t) => t.participant === 'ishim-district-admin')!;
    const kaskara = hub.tunnels.find((t) => t.participant === 'kaskara-sp')!;
    await onEdge(
      [
        `f=${hub.config}`,
        // dep-obr: its range widened to the /16.
        `sed -i 's/^tunnel= 10\\.31\\.1\\.1-10\\.31\\.1\\.254 to/tunnel= 10.31.0.1-10.31.255.254 to/' "$f"`,
        // ishim-district-admin: its whole section removed, so its node is gone.
        `awk '/^\\[/ { if (!skip) printf "%s", buf; buf = ""; skip = 0 } { buf = buf $0 "\\n"; if (index($0, "id= ${ishim.node}") == 1) skip = 1 } END { if (!skip) printf "%s", buf }' "$f" > "$f.new" && cat "$f.new" > "$f" && rm "$f.new"`,
        // kaskara-sp: filter open and an old version.
        `awk -v id='id= ${kaskara.node}' '{ if ($0 ~ "^\\\\[id\\\\]") s = 0; if (index($0, id) == 1) s = 1; if (s && $0 ~ /^filterdefault=/) sub(/drop/, "pass"); if (s && $0 ~ /^version=/) $0 = "version= 3.2-672\\r"; print }' "$f" > "$f.new" && cat "$f.new" > "$f" && rm "$f.new"`,
        // A node the inventory does not have, tunnelling a network.
        `printf '[id]\\r\\nid= 0x1a0e0777\\r\\nname= unknown\\r\\ntunnel= 10.77.0.1-10.77.0.254 to 10.77.0.1-10.77.0.254\\r\\n' >> "$f"`,
      ].join('\n'),
    );
    const { findings } = await drift();
    expect(vipnet(findings), JSON.stringify(findings.filter((f) => f.requirement.startsWith('CH-')))).toEqual([
      'CH-6 error ishim-district-admin',
      'CH-7 error dep-obr',
      'CH-8 error -',
      'CH-9 error kaskara-sp',
      'CH-9 warning kaskara-sp',
    ]);
    const wider = findings.find((f) => f.requirement === 'CH-7')!;
    expect(wider.message).toBe(
      `node ${obr.node} tunnels 10.31.0.1-10.31.0.255, 10.31.2.0-10.31.255.254 beyond the declared 10.31.1.0/24`,
    );
    expect(wider.evidence).toMatch(
      new RegExp(
        `^${hub.config}: \\d+: \\[id\\] id= ${obr.node}; \\d+: tunnel= 10\\.31\\.0\\.1-10\\.31\\.255\\.254 to`,
      ),
    );
    expect(findings.find((f) => f.requirement === 'CH-8')!.evidence).toContain('id= 0x1a0e0777');
  });

  it('leaves the coordinator unchecked (exit 3), never hanging, when its file is a FIFO', async () => {
    await onEdge(`f=${hub.config}; rm -f "$f"; mkfifo -m 644 "$f"`);
    const run = await prichal(['drift', '--format', 'json', '--lang', 'en']);
    expect(run.code).toBe(3);
    const result = JSON.parse(run.stdout) as Awaited<ReturnType<typeof drift>>;
    expect(result.unchecked.map((u) => `${u.subject} ${u.requirements.join(',')}`)).toEqual([
      'edge-1 CH-6,CH-7,CH-8,CH-9',
    ]);
    expect(result.unchecked[0]!.reason).toContain('not a regular file');
    await onEdge(`rm -f ${hub.config}`);
  });
});
