// A participant's registration in one contour's bus as a dynamic resource over the bus adapter.
// Production is refused unless the test registration is tested (and present on the bus).
import * as pulumi from '@pulumi/pulumi';
import type { PlannedRegistration } from '../../plan/index.js';

export interface BusRegistrationInputs {
  contour: 'test' | 'prod';
  registration: PlannedRegistration;
  testStatus: string | undefined;
  bus: { url: string; vhost: string; testVhost: string };
  /** "user:password" of the contour's bus administrator (a Pulumi secret). */
  credentials: string;
  modules: string;
}

type Provider = pulumi.dynamic.ResourceProvider & {
  client(inputs: BusRegistrationInputs, vhost?: string): Promise<import('../bus.js').BusClient>;
};

// Self-contained methods (helpers reached through `this`): Pulumi serializes this object.
export const busRegistrationProvider: Provider = {
  async client(inputs: BusRegistrationInputs, vhost = inputs.bus.vhost) {
    const { BusClient } = await import(`${inputs.modules}/infra/bus.js`);
    const colon = inputs.credentials.indexOf(':');
    return new BusClient({ url: inputs.bus.url, vhost, username: inputs.credentials.slice(0, colon), password: inputs.credentials.slice(colon + 1) });
  },
  async create(this: Provider, inputs: BusRegistrationInputs) {
    const { assertPromotable } = await import(`${inputs.modules}/infra/bus.js`);
    const testState = inputs.contour === 'prod' ? await (await this.client(inputs, inputs.bus.testVhost)).read() : undefined;
    assertPromotable(inputs.contour, inputs.registration.mnemonic, inputs.testStatus, testState);
    await (await this.client(inputs)).ensure(inputs.registration);
    return { id: `${inputs.bus.vhost}/${inputs.registration.mnemonic}`, outs: inputs };
  },
  async update(this: Provider, _id: string, _olds: BusRegistrationInputs, news: BusRegistrationInputs) {
    return { outs: (await this.create!(news)).outs };
  },
  async diff(_id: string, olds: BusRegistrationInputs & { live?: string[] }, news: BusRegistrationInputs) {
    const replaces = olds.registration.mnemonic !== news.registration.mnemonic || olds.bus.vhost !== news.bus.vhost ? ['registration'] : [];
    const changed = JSON.stringify(olds.registration.messageTypes) !== JSON.stringify(news.registration.messageTypes) || (olds.live ?? []).length > 0;
    return { changes: changed || replaces.length > 0, replaces };
  },
  async read(this: Provider, id: string, props: BusRegistrationInputs) {
    const { checkBus } = await import(`${props.modules}/drift/live.js`);
    const state = await (await this.client(props)).read();
    const plan = { contours: { test: { registrations: props.contour === 'test' ? [props.registration] : [] }, prod: { registrations: props.contour === 'prod' ? [props.registration] : [] } } };
    const findings = (checkBus(plan, props.contour, state, undefined) as Array<{ participant?: string; message: string }>).filter((f) => f.participant === props.registration.participant);
    return { id, props: { ...props, live: findings.map((f) => f.message) } };
  },
  async delete(this: Provider, _id: string, props: BusRegistrationInputs) {
    await (await this.client(props)).remove(props.registration.mnemonic);
  },
};

export class BusRegistration extends pulumi.dynamic.Resource {
  constructor(name: string, args: Omit<BusRegistrationInputs, 'credentials'> & { credentials: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions) {
    super(busRegistrationProvider, name, { ...args, credentials: pulumi.secret(args.credentials), live: undefined }, { ...opts, additionalSecretOutputs: ['credentials'] });
  }
}
