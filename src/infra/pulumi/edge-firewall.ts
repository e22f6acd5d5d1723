// The edge firewall as a dynamic resource over the SSH adapter. The provider imports its
// modules inside each method: Pulumi serializes the provider's functions, and a captured module
// object would not survive that.
import * as pulumi from '@pulumi/pulumi';
import type { PlannedEdge } from '../../plan/index.js';

export interface EdgeFirewallInputs {
  edge: PlannedEdge;
  /** SSH private key of the edge's credentials (a Pulumi secret). */
  privateKey: string;
  /** Absolute path of the compiled src/ folder, so the provider can load the adapters. */
  modules: string;
}

export const edgeFirewallProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: EdgeFirewallInputs) {
    const { SshConnection } = await import(`${inputs.modules}/infra/ssh.js`);
    const { applyEdgeFirewall } = await import(`${inputs.modules}/infra/firewall.js`);
    const e = inputs.edge;
    const conn = await SshConnection.connect({ host: e.ssh.host, port: e.ssh.port, user: e.ssh.user, hostKey: e.ssh.hostKey }, inputs.privateKey);
    try {
      await applyEdgeFirewall(conn, e);
    } finally {
      conn.close();
    }
    return { id: e.id, outs: inputs };
  },
  async update(this: pulumi.dynamic.ResourceProvider, _id: string, _olds: EdgeFirewallInputs, news: EdgeFirewallInputs) {
    return { outs: (await this.create!(news)).outs };
  },
  async diff(_id: string, olds: EdgeFirewallInputs & { live?: string[] }, news: EdgeFirewallInputs) {
    const { plannedTable } = await import(`${news.modules}/render/index.js`);
    const planChanged = JSON.stringify(plannedTable(olds.edge)) !== JSON.stringify(plannedTable(news.edge));
    // read() stores the live differences, so a hand-edited rule shows up after `pulumi refresh`.
    const drifted = (olds.live ?? []).length > 0;
    return { changes: planChanged || drifted };
  },
  async read(id: string, props: EdgeFirewallInputs) {
    const { SshConnection } = await import(`${props.modules}/infra/ssh.js`);
    const { readTable } = await import(`${props.modules}/infra/firewall.js`);
    const { plannedTable, compareTables } = await import(`${props.modules}/render/index.js`);
    const e = props.edge;
    const conn = await SshConnection.connect({ host: e.ssh.host, port: e.ssh.port, user: e.ssh.user, hostKey: e.ssh.hostKey }, props.privateKey);
    try {
      const differences = compareTables(plannedTable(e), await readTable(conn)) as Array<{ message: string }>;
      return { id, props: { ...props, live: differences.map((d) => d.message) } };
    } finally {
      conn.close();
    }
  },
  async delete(_id: string, props: EdgeFirewallInputs) {
    const { SshConnection } = await import(`${props.modules}/infra/ssh.js`);
    const e = props.edge;
    const conn = await SshConnection.connect({ host: e.ssh.host, port: e.ssh.port, user: e.ssh.user, hostKey: e.ssh.hostKey }, props.privateKey);
    try {
      await conn.exec('/usr/sbin/nft delete table inet prichal', { allowFailure: true });
    } finally {
      conn.close();
    }
  },
};

export class EdgeFirewall extends pulumi.dynamic.Resource {
  constructor(name: string, args: { edge: PlannedEdge; privateKey: pulumi.Input<string>; modules: string }, opts?: pulumi.CustomResourceOptions) {
    super(edgeFirewallProvider, name, { ...args, privateKey: pulumi.secret(args.privateKey), live: undefined }, { ...opts, additionalSecretOutputs: ['privateKey'] });
  }
}
