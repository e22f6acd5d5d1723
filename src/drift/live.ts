// Live requirements (FW-1..3, GW-1, BUS-1, BUS-2) from collected state against the plan.
import type { EdgeState, GatewayContainer } from '../collect/index.js';
import { indexBusState, registrationDifferences, type BusState } from '../infra/bus.js';
import { queueName } from '../plan/index.js';
import { cite, productionAllowed } from '../requirements/index.js';
import { addressValue, cidrInterval, CONTOURS, isIPv4, type ContourName, type Interval } from '../inventory/index.js';
import type { Plan, PlannedEdge } from '../plan/index.js';
import { compareTables, FORWARD_CHAIN, plannedTable, PRICHAL_TABLE_KEY, type GatewaySpec } from '../render/index.js';
import type { RequirementFinding } from './model.js';
import { inContourRu } from '../words.js';

/** Who owns an address or network: attributes set elements and rules to participants. */
export function ownerIndex(plan: Plan): (text: string) => string | undefined {
  const exact = new Map<string, string>();
  const networks: Array<{ interval: Interval; participant: string }> = [];
  for (const c of CONTOURS) {
    for (const r of plan.contours[c].registrations) {
      exact.set(r.gateway, r.participant);
      for (const e of r.endpoints) exact.set(e.address, r.participant);
      for (const n of r.networks) {
        exact.set(n, r.participant);
        networks.push({ interval: cidrInterval(n), participant: r.participant });
      }
    }
  }
  return (text) => {
    for (const token of text.split(/[\s,{}]+/)) {
      const owner = exact.get(token);
      if (owner) return owner;
      const address = token.split('/')[0]!;
      if (!isIPv4(address)) continue;
      const value = addressValue(address);
      const hit = networks.find((n) => n.interval.start <= value && value <= n.interval.end);
      if (hit) return hit.participant;
    }
    return undefined;
  };
}

export function checkEdge(
  edge: PlannedEdge,
  state: EdgeState,
  ownerOf: (text: string) => string | undefined,
): RequirementFinding[] {
  const out: RequirementFinding[] = [];
  const base = { subject: edge.id } as const;
  const planned = plannedTable(edge);
  const live = state.tables.get(PRICHAL_TABLE_KEY);
  const forward = live?.chains.forward;
  if (!forward || forward.hook !== 'forward' || forward.policy !== 'drop') {
    out.push({
      ...base,
      requirement: 'FW-1',
      severity: 'error',
      message: `no default-deny: ${forward ? `chain forward has policy ${forward.policy}` : "Prichal's forward chain is missing"}`,
      evidence: forward
        ? `inet prichal forward: type ${forward.type} hook ${forward.hook} priority ${forward.prio}; policy ${forward.policy}`
        : 'table inet prichal: absent',
      fix: "re-apply the edge firewall: 'prichal firewall apply --edge " + edge.id + "'",
    });
  }
  for (const d of compareTables(planned, live)) {
    const participant = d.element ? ownerOf(d.element) : undefined;
    out.push({
      ...base,
      ...(participant ? { participant } : {}),
      requirement: 'FW-3',
      severity: 'error',
      message: d.message,
      evidence: `live table inet prichal on ${edge.id}`,
      fix: `re-apply the planned table ('prichal firewall apply --edge ${edge.id}'); change the inventory instead of the host`,
    });
  }
  // FW-2: whatever accepts traffic beyond the declared pairs.
  if (live) {
    for (const [name, set] of Object.entries(live.sets)) {
      const declared = new Set(planned.sets[name]?.elements ?? []);
      for (const element of set.elements.filter((e) => !declared.has(e))) {
        const participant = ownerOf(element);
        out.push({
          ...base,
          ...(participant ? { participant } : {}),
          requirement: 'FW-2',
          severity: 'error',
          message: `accepts an undeclared flow ${element}`,
          evidence: `set ${name} element ${element}`,
          fix: 'remove the element; declare the flow in the inventory if it is needed',
        });
      }
    }
    for (const rule of forward?.rules ?? []) {
      if (FORWARD_CHAIN.rules.includes(rule as never) || !/\baccept\b/.test(rule)) continue;
      const participant = ownerOf(rule);
      out.push({
        ...base,
        ...(participant ? { participant } : {}),
        requirement: 'FW-2',
        severity: 'error',
        message: `an accepting rule outside the declared flows: ${rule}`,
        evidence: `inet prichal forward: ${rule}`,
        fix: 'remove the rule; declare the flow in the inventory if it is needed',
      });
    }
  }
  for (const [key, table] of state.tables) {
    if (key === PRICHAL_TABLE_KEY) continue;
    for (const [chainName, chain] of Object.entries(table.chains)) {
      for (const rule of chain.rules) {
        const participant = ownerOf(rule);
        if (!participant || !/\baccept\b/.test(rule)) continue;
        out.push({
          ...base,
          participant,
          requirement: 'FW-2',
          severity: 'error',
          message: `a rule outside Prichal's table accepts participant traffic: ${rule}`,
          evidence: `${key} ${chainName}: ${rule}`,
          fix: 'remove the rule; participant traffic is governed by table inet prichal only',
        });
      }
    }
  }
  return out;
}

export function checkGateways(
  specs: readonly GatewaySpec[],
  containers: readonly GatewayContainer[],
): RequirementFinding[] {
  const out: RequirementFinding[] = [];
  const byName = new Map(containers.map((c) => [c.name, c]));
  for (const spec of specs) {
    const c = byName.get(spec.name);
    const base = {
      requirement: 'GW-1',
      participant: spec.participant,
      contour: spec.contour,
      subject: spec.name,
      severity: 'error',
    } as const;
    const fix = `re-provision the gateway of ${spec.participant} in ${spec.contour} from its specification`;
    const fixRu = `пересоздайте шлюз ${spec.participant} ${inContourRu(spec.contour)} по его спецификации (prichal gateways up)`;
    const ru = (message: string, fixText = fixRu) => ({ ru: { message, fix: fixText } });
    if (!c) {
      out.push({
        ...base,
        message: 'gateway container is missing',
        evidence: `no container ${spec.name}`,
        fix,
        ...ru('контейнера шлюза нет'),
      });
      continue;
    }
    if (!c.running)
      out.push({
        ...base,
        message: `gateway is not running (${c.status})`,
        evidence: `State.Status: ${c.status}`,
        fix: `start it: docker start ${spec.name}`,
        ...ru(`шлюз не работает (${c.status})`, `запустите его: docker start ${spec.name}`),
      });
    if (c.image !== spec.image)
      out.push({
        ...base,
        message: `runs image ${c.image}, planned ${spec.image}`,
        evidence: `Config.Image: ${c.image}`,
        fix,
        ...ru(`работает на образе ${c.image}, по плану ${spec.image}`),
      });
    if (c.configHash !== spec.configHash)
      out.push({
        ...base,
        message: `runs configuration ${c.configHash ?? 'none'}, planned ${spec.configHash}`,
        evidence: 'sha256 of the GATEWAY_CONF the container runs with',
        fix,
        ...ru(`работает с конфигурацией ${c.configHash ?? 'без конфигурации'}, по плану ${spec.configHash}`),
      });
    if (c.privileged)
      out.push({
        ...base,
        message: 'gateway is privileged',
        evidence: 'HostConfig.Privileged: true',
        fix,
        ...ru('шлюз запущен в привилегированном режиме'),
      });
    if (!c.readOnlyRootfs)
      out.push({
        ...base,
        message: 'root filesystem is writable',
        evidence: 'HostConfig.ReadonlyRootfs: false',
        fix,
        ...ru('корневая файловая система доступна на запись'),
      });
    const extraCaps = c.capAdd.filter((cap) => !spec.security.capAdd.includes(cap));
    if (extraCaps.length || !c.capDrop.includes('ALL'))
      out.push({
        ...base,
        message: `capabilities beyond the planned: ${extraCaps.length ? `adds ${extraCaps.join(', ')}` : 'does not drop ALL'}`,
        evidence: `HostConfig.CapAdd: ${JSON.stringify(c.capAdd)}, CapDrop: ${JSON.stringify(c.capDrop)}`,
        fix,
      });
    if (c.publishedPorts.length)
      out.push({
        ...base,
        message: `publishes ports ${c.publishedPorts.join(', ')}`,
        evidence: 'HostConfig.PortBindings',
        fix,
        ...ru(`публикует порты ${c.publishedPorts.join(', ')}`),
      });
    if (!c.networks.includes(spec.network))
      out.push({
        ...base,
        message: `attached to ${c.networks.join(', ') || 'no network'}, planned ${spec.network}`,
        evidence: 'NetworkSettings.Networks',
        fix,
        ...ru(`подключён к ${c.networks.join(', ') || 'никакой сети'}, по плану ${spec.network}`),
      });
    if (c.address !== spec.address)
      out.push({
        ...base,
        message: `address ${c.address ?? 'none'}, planned ${spec.address}`,
        evidence: 'NetworkSettings',
        fix,
        ...ru(`адрес ${c.address ?? 'отсутствует'}, по плану ${spec.address}`),
      });
  }
  const planned = new Set(specs.map((s) => s.name));
  for (const c of containers) {
    if (planned.has(c.name)) continue;
    out.push({
      requirement: 'GW-1',
      participant: c.labels['prichal.participant'] ?? '',
      subject: c.name,
      severity: 'error',
      message: "unmanaged container carrying Prichal's label",
      evidence: `labels: ${JSON.stringify(c.labels)}`,
      fix: `remove it (docker rm -f ${c.name}) or add the participant to the inventory`,
    });
  }
  return out;
}

export function checkBus(
  plan: Plan,
  contour: ContourName,
  state: BusState,
  testState: BusState | undefined,
): RequirementFinding[] {
  const out: RequirementFinding[] = [];
  const registrations = plan.contours[contour].registrations;
  const planned = new Set(registrations.map((r) => r.mnemonic));
  const anywhere = new Set(CONTOURS.flatMap((c) => plan.contours[c].registrations.map((r) => r.mnemonic)));
  const subject = `bus ${state.vhost}`;
  const fix = (m: string) =>
    `run 'prichal bus ensure --contour ${contour} --participant …' for ${m}; change the inventory instead of the bus`;
  const index = indexBusState(state);
  for (const r of registrations) {
    const base = { requirement: 'BUS-1', participant: r.participant, contour, subject, severity: 'error' } as const;
    for (const d of registrationDifferences(r, state, index))
      out.push({ ...base, message: d.message, evidence: d.evidence, fix: fix(r.mnemonic) });
  }
  const extraBase = { requirement: 'BUS-1', contour, subject, severity: 'error' } as const;
  const withPermission = new Set(state.permissions.map((p) => p.user));
  for (const user of state.users) {
    if (planned.has(user)) continue;
    if (withPermission.has(user) || (contour === 'test' && !anywhere.has(user))) {
      out.push({
        ...extraBase,
        message: `extra bus user ${user} carries Prichal's tag but is in no plan${withPermission.has(user) ? ` and has permissions in ${state.vhost}` : ''}`,
        evidence: `GET /api/users: ${user} [prichal]`,
        fix: `remove the user or register the participant in the inventory`,
      });
    }
  }
  const plannedQueues = new Set([...planned].map(queueName));
  for (const queue of state.queues) {
    if (!plannedQueues.has(queue))
      out.push({
        ...extraBase,
        message: `extra queue ${queue} with Prichal's naming`,
        evidence: `GET /api/queues/${state.vhost}`,
        fix: 'remove the queue or register its participant',
      });
  }
  if (contour === 'prod') {
    const testStatus = new Map(plan.contours.test.registrations.map((r) => [r.mnemonic, r.status]));
    const inTestVhost = testState ? new Set(testState.permissions.map((t) => t.user)) : undefined;
    const participantOf = new Map(
      CONTOURS.flatMap((c) => plan.contours[c].registrations.map((r) => [r.mnemonic, r.participant] as const)),
    );
    for (const p of state.permissions) {
      const status = testStatus.get(p.user);
      const inTest = inTestVhost?.has(p.user) ?? true;
      if (!productionAllowed(status) || !inTest) {
        const participant = participantOf.get(p.user);
        out.push({
          requirement: 'BUS-2',
          ...(participant ? { participant } : {}),
          contour,
          subject,
          severity: 'error',
          message: `${p.user} is registered in production without a tested test registration`,
          evidence: `test status: ${status ?? 'none'}; present in test vhost: ${inTest}`,
          fix: `remove the production registration until the test contour passes (${cite('portal', '4.6')})`,
        });
      }
    }
  }
  return out;
}
