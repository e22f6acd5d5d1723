// Several gateway hosts: the schema and the rules of gateways.hosts (each finding located on its
// field), the recorded placement through allocations.yaml, and `plan --move-gateway`.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/inventory/index.js';
import { SAMPLE_INVENTORY } from './helpers/inventory.js';
import { check, codes, operator, participant } from './helpers/build.js';
import { plan } from '../src/workflows/plan.js';

const KEY = `SHA256:${'B'.repeat(43)}`;
const second = (overrides: Record<string, unknown> = {}) => ({
  id: 'docker-2',
  docker: 'ssh://prichal@10.0.0.5:22',
  hostKey: KEY,
  credentials: 'docker2',
  transit: '10.200.0.20',
  slices: { test: '10.210.128.0/17', prod: '10.220.128.0/17' },
  ...overrides,
});
const withHosts = (hosts: object[]) => {
  const op = operator();
  return { ...op, gateways: { image: 'prichal/gateway:1', network: { test: 'gw-test', prod: 'gw-prod' }, hosts } };
};
const LOCAL = { id: 'main', docker: 'unix:///var/run/docker.sock' };
const errors = (findings: Finding[]) =>
  findings
    .filter((f) => f.severity === 'error')
    .map((f) => `${f.file}:${f.line} ${f.code} ${f.path}`)
    .sort();

describe('gateways.hosts: schema and rules', () => {
  it('two well-formed hosts validate', () => {
    expect(check({ operator: withHosts([LOCAL, second()]), participants: [participant('org-a')] })).toEqual([]);
  });

  it('an ssh:// host needs its host key and credentials; capacity is at least 1; the endpoint is unix:// or ssh://', () => {
    const { hostKey: _k, credentials: _c, ...bare } = second();
    const findings = check({ operator: withHosts([LOCAL, { ...bare, capacity: 0 }]), participants: [] });
    expect(findings.map((f) => [f.code, f.path, f.message])).toEqual(
      expect.arrayContaining([
        ['schema', 'gateways.hosts[1]', "missing required field 'hostKey'"],
        ['schema', 'gateways.hosts[1]', "missing required field 'credentials'"],
        ['schema', 'gateways.hosts[1].capacity', expect.stringContaining('>= 1')],
      ]),
    );
    expect(
      codes(check({ operator: withHosts([{ id: 'main', docker: 'tcp://10.0.0.1:2375' }]), participants: [] })),
    ).toEqual(['schema']);
  });

  it('duplicate ids, a slice outside its pool or over another, a missing transit or slice: each on its field', () => {
    const findings = check({
      operator: withHosts([
        LOCAL,
        second(),
        second({ id: 'docker-2', transit: undefined, slices: { test: '10.210.192.0/18', prod: '10.99.0.0/24' } }),
        second({ id: 'docker-4', slices: { prod: '10.220.0.0/24' } }),
      ]),
      participants: [participant('org-a')],
    });
    // The third host's test slice lies inside the second's; the fourth has no test slice though test has registrations.
    // A missing field points at its host's line.
    expect(errors(findings)).toEqual([
      'operator.yaml:57 duplicate-id gateways.hosts[2].id',
      'operator.yaml:57 schema gateways.hosts[2].transit',
      'operator.yaml:62 subnet-overlap gateways.hosts[2].slices.test',
      'operator.yaml:63 subnet-overlap gateways.hosts[2].slices.prod',
      'operator.yaml:70 schema gateways.hosts[3].slices.test',
    ]);
    const messages = findings.map((f) => f.message).join('\n');
    expect(messages).toContain("gateways.hosts id 'docker-2' appears more than once");
    expect(messages).toContain(
      'slice 10.99.0.0/24 of host docker-2 must be inside contours.prod.gatewayPool 10.220.0.0/16',
    );
    expect(messages).toContain(
      'slice 10.210.192.0/18 of host docker-2 overlaps slice 10.210.128.0/17 of host docker-2',
    );
    expect(messages).toContain("missing required field 'slices.test'");
  });

  it('the first host is the primary and has no slice', () => {
    const findings = check({
      operator: withHosts([{ ...LOCAL, slices: { test: '10.210.64.0/18' } }]),
      participants: [participant('org-a')],
    });
    expect(errors(findings)).toEqual(['operator.yaml:50 schema gateways.hosts[0].slices.test']);
  });

  it('a host recorded in allocations.yaml that operator.yaml no longer declares is an error on its line', () => {
    const findings = check({
      operator: withHosts([LOCAL]),
      participants: [participant('org-a'), participant('org-b')],
      allocations: {
        gateways: { test: { 'org-a': '10.210.128.2', 'org-b': '10.210.0.2' } },
        gatewayHosts: { 'org-a': 'docker-9', 'org-b': 'main' },
      },
    });
    expect(errors(findings)).toEqual(['allocations.yaml:6 unknown-reference gatewayHosts.org-a']);
    expect(findings.find((f) => f.code === 'unknown-reference')!.message).toContain(
      "org-a's gateways are recorded on host 'docker-9'",
    );
  });

  it('a new slice over a recorded address of a participant on the primary is an error, not a silent move', () => {
    const findings = check({
      operator: withHosts([LOCAL, second({ slices: { test: '10.210.0.0/24', prod: '10.220.128.0/17' } })]),
      participants: [participant('org-a')],
      allocations: { gateways: { test: { 'org-a': '10.210.0.2' }, prod: { 'org-a': '10.220.0.2' } } },
    });
    expect(errors(findings)).toEqual(['operator.yaml:55 subnet-overlap gateways.hosts[1].slices.test']);
  });
});

/**
 * The sample as if it had never declared gateway hosts: no `gateways.hosts`, no recorded
 * placement, and no address recorded for the participants that sat on another host than the
 * primary (their slice addresses would hold the slice the test declares again); `plan --save`
 * then records them on the one host.
 */
async function withoutGatewayHosts(dir: string): Promise<void> {
  const operatorFile = path.join(dir, 'operator.yaml');
  const operatorText = await readFile(operatorFile, 'utf8');
  const primary = (parse(operatorText) as { gateways: { hosts: Array<{ id: string }> } }).gateways.hosts[0]!.id;
  await writeFile(operatorFile, operatorText.replace(/^ {2}hosts:\n(?: {4}.*\n)+/m, ''));
  const allocationsFile = path.join(dir, 'allocations.yaml');
  const allocations = parse(await readFile(allocationsFile, 'utf8')) as {
    gateways: Record<string, Record<string, string>>;
    gatewayHosts?: Record<string, string>;
    links?: Record<string, string>;
  };
  const elsewhere = Object.entries(allocations.gatewayHosts ?? {}).filter(([, host]) => host !== primary);
  for (const [participant] of elsewhere) for (const c of Object.values(allocations.gateways)) delete c[participant];
  delete allocations.gatewayHosts;
  await writeFile(allocationsFile, stringify(allocations));
}

describe('plan --move-gateway on the sample inventory with a second host', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('shows the move without --save, records host and new addresses with it; nothing else changes', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'prichal-hosts-'));
    dirs.push(dir);
    cpSync(SAMPLE_INVENTORY, dir, { recursive: true });
    await withoutGatewayHosts(dir);
    expect((await plan({ inventory: dir, at: '2026-11-23', save: true })).saved).toBeDefined();
    const file = path.join(dir, 'operator.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      text.replace(
        '  network: { test: prichal-gw-test, prod: prichal-gw-prod }\n',
        `  network: { test: prichal-gw-test, prod: prichal-gw-prod }
  hosts:
    - { id: main, docker: "unix:///var/run/docker.sock" }
    - { id: docker-2, docker: "ssh://prichal@127.0.0.1:2210", hostKey: "${KEY}", credentials: docker2, transit: 10.200.0.20, slices: { test: 10.210.128.0/17, prod: 10.220.128.0/17 } }
`,
      ),
    );
    const before = await plan({ inventory: dir, at: '2026-11-23', save: false });
    expect(before.ok).toBe(true);
    const registrations = (p: typeof before) =>
      Object.values(p.plan!.contours).flatMap((c) =>
        c.registrations.map((r) => `${r.participant} ${r.gateway} ${r.host}`),
      );
    // Declaring the hosts moves nobody: every participant stays on the primary with its address.
    expect(registrations(before).every((r) => r.endsWith(' main'))).toBe(true);
    expect(before.plan!.gatewayRoutes).toEqual([
      { contour: 'test', slice: '10.210.128.0/17', via: '10.200.0.20', host: 'docker-2' },
      { contour: 'prod', slice: '10.220.128.0/17', via: '10.200.0.20', host: 'docker-2' },
    ]);

    const shown = await plan({ inventory: dir, at: '2026-11-23', save: false, moveGateway: ['dep-zdrav=docker-2'] });
    expect(shown.saved).toBeUndefined();
    const changed = registrations(shown).filter((r) => !registrations(before).includes(r));
    expect(changed).toEqual(['dep-zdrav 10.210.128.2 docker-2', 'dep-zdrav 10.220.128.2 docker-2']);

    const saved = await plan({ inventory: dir, at: '2026-11-23', save: true, moveGateway: ['dep-zdrav=docker-2'] });
    expect(saved.saved).toBeDefined();
    const recorded = await readFile(path.join(dir, 'allocations.yaml'), 'utf8');
    expect(recorded).toMatch(/gatewayHosts:\n(\s+[a-z0-9-]+: [a-z0-9-]+\n)+/);
    expect(recorded).toContain('dep-zdrav: docker-2');
    expect(recorded).toContain('dep-obr: main');
    const after = await plan({ inventory: dir, at: '2026-11-23', save: false });
    expect(after.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(registrations(after)).toEqual(registrations(shown));

    await expect(plan({ inventory: dir, save: false, moveGateway: ['dep-zdrav=nowhere'] })).rejects.toThrow(
      /no gateway host 'nowhere'/,
    );
    await expect(plan({ inventory: dir, save: false, moveGateway: ['dep-zdrav'] })).rejects.toThrow(
      /<participant>=<host>/,
    );
  });
});
