// preview --format markdown, the change summary for a pull request: built from a preview's result
// whose changes come from the provider's own diff functions (the firewall's set elements, the
// bus shard's registrations, the gateway shard's containers, the channel's links and routes), so
// that the summary reads the words they really write. Access first, per participant; everything
// listed when it fits; at most 10,000 characters when thousands of participants change.
import { marked } from 'marked';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/main.js';
import { COMMANDS } from '../src/cli/commands.js';
import { markdownText } from '../src/escape.js';
import { edgeChannelChanges } from '../src/infra/pulumi/channel-resource.js';
import type { EngineResult, StepReport } from '../src/infra/pulumi/engine.js';
import { gatewayShardUpdate, type GatewayShardInputs } from '../src/infra/pulumi/gateway-shard.js';
import {
  busShardUpdate,
  edgeFirewallChanges,
  type BusShardInputs,
  type ResourceChange,
} from '../src/infra/pulumi/resources.js';
import type { Plan, PlannedEdge } from '../src/plan/index.js';
import { plannedChannel, type ChannelLink } from '../src/render/index.js';
import { checkInventory } from '../src/requirements/index.js';
import { engineMarkdown, fullListCommand, MARKDOWN_LIMIT } from '../src/workflows/engine.markdown.js';
import { syntheticEdge } from './helpers/edges.js';
import { SAMPLE_INVENTORY } from './helpers/inventory.js';

let plan: Plan;
beforeAll(async () => {
  plan = (await checkInventory(SAMPLE_INVENTORY, '2026-11-23')).plan!;
});

const step = (op: StepReport['op'], type: string, name: string, changes: ResourceChange[]): StepReport => ({
  op,
  type,
  name,
  status: 'planned',
  participants: [...new Set(changes.flatMap((c) => (c.participant ? [c.participant] : [])))].sort(),
  changes,
});

/** A preview's result around its steps, counted as the engine counts them. */
function preview(steps: StepReport[]): EngineResult {
  const summary: Record<string, number> = {};
  const byParticipant: EngineResult['byParticipant'] = {};
  for (const s of steps) {
    summary[s.op] = (summary[s.op] ?? 0) + 1;
    for (const c of s.changes) (byParticipant[c.participant ?? '(shared)'] ??= []).push(c);
  }
  return {
    action: 'preview',
    contour: 'test',
    stack: 'test',
    backend: 'file:///srv/prichal/.state/pulumi',
    summary,
    steps,
    byType: {},
    byParticipant,
    changed: steps.length > 0,
    timings: { startupMs: 900, totalMs: 4000 },
  };
}

const noFlows = (edge: PlannedEdge): PlannedEdge => ({ ...edge, participants: [], ingress: [], egress: [] });
const bus = (participants: readonly string[]): BusShardInputs => ({
  contour: 'test',
  shard: '07',
  entries: participants.map((p) => ({
    participant: p,
    mnemonic: p.toUpperCase(),
    messageTypes: ['t'],
    testStatus: null,
  })),
  bus: { url: 'http://127.0.0.1:15672', vhost: 'smev-test', credentials: 'busTest' },
  testBus: null,
});
const gateways = (participants: readonly string[]): GatewayShardInputs => ({
  contour: 'test',
  host: { id: 'docker-1', docker: 'unix:///var/run/docker.sock', hostKey: null, credentials: null },
  shard: '00',
  image: 'prichal-gateway',
  network: 'prichal-test',
  gateways: participants.map((p, i) => ({
    participant: p,
    address: `10.210.${i >> 8}.${i & 255}`,
    endpoints: [],
    configHash: 'c',
    specHash: 's',
  })),
});
const link = (participant: string, i: number): ChannelLink => ({
  participant,
  interface: `ll${i}`,
  vlan: null,
  address: `10.250.${i >> 7}.${(i & 127) * 2}/31`,
  peer: `10.250.${i >> 7}.${(i & 127) * 2 + 1}`,
  networks: [`10.${100 + (i >> 8)}.${i & 255}.0/24`],
});

/** Thousands of participants joining at once: their flows, registrations, gateways and links, and a little else. */
function joining(count: number): EngineResult {
  const edge = plan.edges[0]!;
  const many = syntheticEdge(edge, count);
  const ids = many.participants;
  const ssh = edge.ssh;
  return preview([
    step('update', 'prichal:index:EdgeFirewall', `firewall-${edge.id}`, [
      ...edgeFirewallChanges({ edge: noFlows(edge) }, { edge: { ...many, ssh: { ...ssh, port: ssh.port + 1 } } }),
    ]),
    step('create', 'prichal:index:BusRegistrations', 'bus-test-07', busShardUpdate(undefined, bus(ids)).changes),
    step('create', 'prichal:index:GatewayShard', 'gateways-test-docker-1-00', [
      ...gatewayShardUpdate(undefined, gateways(ids)).changes,
    ]),
    step(
      'update',
      'prichal:index:EdgeChannel',
      `channel-${edge.id}`,
      edgeChannelChanges(
        { edge: edge.id, ssh, channel: { edge: edge.id, links: [], gatewayRoutes: [] } },
        {
          edge: edge.id,
          ssh,
          channel: {
            edge: edge.id,
            links: ids.map(link),
            gatewayRoutes: [{ destination: '10.210.0.0/16', via: '10.200.0.252' }],
          },
        },
      ),
    ),
    step('upgrade', 'pulumi:pulumi:Stack', 'prichal-test', [{ message: 'state: the bus shards name their secrets' }]),
  ]);
}

describe('preview --format markdown', () => {
  it('thousands of participants: at most 10,000 characters, access first — the counts, the first participants, where the full list is', () => {
    const result = joining(3000);
    const total = result.steps.reduce((sum, s) => sum + s.changes.length, 0);
    expect(total).toBeGreaterThan(15_000);
    const command = fullListCommand({ inventory: 'inventory', contour: 'test' });
    for (const lang of ['en', 'ru'] as const) {
      const text = engineMarkdown(result, lang, command);
      expect(text.length, lang).toBeLessThanOrEqual(MARKDOWN_LIMIT);
      // Opens with the summary, then the access section before anything else.
      const headings = text.split('\n').filter((l) => l.startsWith('#'));
      expect(headings[1], lang).toBe(lang === 'en' ? '### Access, by participant' : '### Доступ, по участникам');
      expect(text.indexOf(headings[1]!), lang).toBeLessThan(400);
      expect(text, lang).toContain(`\`${command}\``);
      expect(text, lang).toContain(command);
    }
    const text = engineMarkdown(result, 'en', command);
    expect(text.split('\n').slice(0, 3)).toEqual([
      '## prichal preview: test contour',
      '',
      '**4 resources would change** (2 update, 2 create, 1 upgrade); participants whose access changes: 3,000.',
    ]);
    // The counts of every change, though most items are not shown.
    expect(text).toContain('| flows (firewall set elements) | 12,000 | 0 | 0 |');
    expect(text).toContain('| bus registrations | 3,000 | 0 | 0 |');
    expect(text).toContain('| gateways | 3,000 | 0 | 0 |');
    expect(text).toContain('| links and routes | 3,001 | 0 | 0 |');
    expect(text).toContain('- **p0**: flows +4; registrations +1; gateways +1; links and routes +1');
    expect(text).toMatch(/_… [\d,]+ more participants whose access changes \([\d,]+ changes\) are not shown here\._/);
    expect(text).toContain(`_The full list (${total.toLocaleString('en-GB')} changes): \`${command}\`._`);
    // The rest still has its room: an SSH target and the state's upgrade are not access.
    expect(text).toContain('### Other changes');
    expect(text).toContain('SSH target or pinned host key changes');
    expect(text).toContain('state: the bus shards name their secrets');
  });

  it('a few dozen participants: each named with its counts, the first ones with a sample of their changes', () => {
    const text = engineMarkdown(joining(40), 'en', fullListCommand({ inventory: 'inventory', contour: 'test' }));
    expect(text.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    for (let i = 0; i < 40; i++)
      expect(text).toContain(`- **p${i}**: flows +4; registrations +1; gateways +1; links and routes +1\n`);
    expect(text).not.toContain('more participants');
    // A sample: the first change of each kind, and how many more.
    expect(text).toContain(
      [
        '- **p0**: flows +4; registrations +1; gateways +1; links and routes +1',
        '  - set participant\\_to\\_gateway: add 10.100.0.0/24 . 10.210.0.2 . 443',
        '  - register P0',
        '  - gateway prichal-gw-p0-test: add on host docker-1 at 10.210.0.0',
        '  - link 10.250.0.0/31 on ll0, routes to 10.100.0.0/24 via 10.250.0.1',
        '  - … 3 more',
      ].join('\n'),
    );
    expect(text).toContain('_The full list (283 changes): `prichal preview --contour test --format json`._');
  });

  it('a small change: every item listed, per participant, added and removed told apart', () => {
    const edge = plan.edges[0]!;
    const leaving = edge.ingress[0]!.participant;
    const without = {
      ...edge,
      participants: edge.participants.filter((p) => p !== leaving),
      ingress: edge.ingress.filter((f) => f.participant !== leaving),
      egress: edge.egress.filter((f) => f.participant !== leaving),
    };
    const channel = plannedChannel(plan, 'edge-2');
    const moved = {
      ...channel,
      links: channel.links.map((l) => (l.participant === 'tmn-city-admin' ? { ...l, networks: ['10.32.0.0/24'] } : l)),
    };
    const result = preview([
      step(
        'update',
        'prichal:index:EdgeFirewall',
        `firewall-${edge.id}`,
        edgeFirewallChanges({ edge }, { edge: without }),
      ),
      step(
        'update',
        'prichal:index:BusRegistrations',
        'bus-test-07',
        busShardUpdate(bus([leaving, 'q']), bus(['q', 'r'])).changes,
      ),
      step(
        'update',
        'prichal:index:GatewayShard',
        'gateways-test-docker-1-00',
        gatewayShardUpdate(gateways([leaving]), gateways(['r'])).changes,
      ),
      step(
        'update',
        'prichal:index:EdgeChannel',
        'channel-edge-2',
        edgeChannelChanges(
          { edge: 'edge-2', ssh: plan.edges[1]!.ssh, channel },
          { edge: 'edge-2', ssh: plan.edges[1]!.ssh, channel: moved },
        ),
      ),
    ]);
    const flows =
      edge.ingress.filter((f) => f.participant === leaving).length +
      edge.egress.filter((f) => f.participant === leaving).length;
    const text = engineMarkdown(result, 'en', fullListCommand({ inventory: 'inventory', contour: 'test' }));
    expect(text.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    for (const s of result.steps) for (const c of s.changes) expect(text).toContain(markdownText(c.message));
    expect(text).toContain(`- **${markdownText(leaving)}**: flows −${flows}; registrations −1; gateways −1`);
    expect(text).toContain('- **r**: registrations +1; gateways +1');
    expect(text).toContain('- **tmn-city-admin**: links and routes ~1');
    // Everything fits: no pointer elsewhere, nothing else to review.
    expect(text).not.toContain('full list');
    expect(text).not.toContain('### Other changes');
    // Russian: the same items, the headings and counts in Russian.
    const ru = engineMarkdown(result, 'ru', 'prichal preview --contour test --format json');
    expect(ru).toContain('## prichal preview: тестовый контур');
    expect(ru).toContain('| | добавлено | удалено | изменено |');
    expect(ru).toContain(`- **${markdownText(leaving)}**: потоки −${flows}; регистрации −1; шлюзы −1`);
  });

  it('no changes, and hostile words shown as text', () => {
    expect(engineMarkdown(preview([]), 'en', 'x')).toContain('**No changes.**');
    const hostile = preview([
      step('update', 'prichal:index:BusRegistrations', 'bus-test-07', [
        { participant: '<img src=x onerror=alert(1)>', message: 'on the bus: <script>alert(1)</script> | x' },
      ]),
    ]);
    const html = marked.parse(engineMarkdown(hostile, 'en', 'x')) as string;
    expect(html).not.toMatch(/<script|<img/);
  });
});

describe('the CLI: --format markdown for preview only, its help in both languages', () => {
  it('offers markdown to preview and to no other command', () => {
    const formats = Object.fromEntries(
      COMMANDS.flatMap((r) => ('commands' in r ? r.commands : [r])).map((r) => [r.name, r.formats]),
    );
    expect(formats.preview).toEqual(['text', 'json', 'markdown']);
    for (const [name, f] of Object.entries(formats)) if (name !== 'preview') expect(f, name).toEqual(['text', 'json']);
  });

  it('says what the markdown is, in English and in Russian', () => {
    const help = (lang: 'en' | 'ru') =>
      buildProgram(lang)
        .commands.find((c) => c.name() === 'preview')!
        .helpInformation()
        .replace(/\s+/g, ' ');
    expect(help('en')).toContain(
      'markdown: a change summary for a pull request, access changes first, at most 10,000 characters',
    );
    expect(help('en')).toContain('"markdown"');
    expect(help('ru')).toContain(
      'markdown — сводка изменений для запроса на слияние: сначала изменения доступа, не длиннее десяти тысяч символов',
    );
  });

  it('names the full list by the same stack and scope', () => {
    expect(fullListCommand({ inventory: 'inventory', contour: 'prod' })).toBe(
      'prichal preview --contour prod --format json',
    );
    expect(
      fullListCommand({ inventory: '/srv/my inv', contour: 'test', participant: 'tmn-sosh-12', refresh: true }),
    ).toBe(
      "prichal preview --contour test --inventory '/srv/my inv' --participant tmn-sosh-12 --refresh --format json",
    );
  });
});
