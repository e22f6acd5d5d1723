// Each contour's bus (the management API: users, permissions, queues, bindings carrying
// Prichal's naming), checked against the plan: BUS-1 each registration as planned and nothing
// extra; BUS-2 production only after a tested test registration.
import { BusClient, indexBusState, registrationDifferences, type BusState } from '../infra/bus.js';
import { readCredentials } from '../infra/secrets.js';
import { CONTOURS, type ContourName, type OperatorFile } from '../inventory/index.js';
import { queueName, type Plan } from '../plan/index.js';
import { cite, judgedBy, productionAllowed } from '../requirements/index.js';
import { unreadable, type Collected, type HostSource, type LiveFinding, type Subject } from './source.js';

export interface BusSubject extends Subject {
  contour: ContourName;
}

export const bus: HostSource<BusSubject, BusState> = {
  name: 'bus',
  informs: judgedBy('bus'),
  subjects: ({ operator }) =>
    CONTOURS.map((contour) => ({ name: `bus ${operator.contours[contour].bus.vhost}`, contour })),
  read: (subject, { operator }) => collectBus(operator, subject.contour),
  calls: (state) => state.requests,
  check(readings, { plan }) {
    const test = readings.find((r) => r.subject.contour === 'test');
    return {
      findings: readings.flatMap((r) =>
        r.ok
          ? checkBus(
              plan,
              r.subject.contour,
              r.value,
              r.subject.contour === 'prod' && test?.ok ? test.value : undefined,
            )
          : [],
      ),
    };
  },
  record: (readings) => ({
    busRequests: Object.fromEntries(readings.flatMap((r) => (r.ok ? [[r.subject.contour, r.calls]] : []))),
  }),
};

export async function collectBus(operator: OperatorFile, contour: ContourName): Promise<Collected<BusState>> {
  try {
    const bus = operator.contours[contour].bus;
    const { username, password } = await readCredentials(bus.credentials);
    return { ok: true, value: await new BusClient({ url: bus.url, vhost: bus.vhost, username, password }).read() };
  } catch (error) {
    return { ok: false, error: unreadable(error) };
  }
}

function checkBus(plan: Plan, contour: ContourName, state: BusState, testState: BusState | undefined): LiveFinding[] {
  const out: LiveFinding[] = [];
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
