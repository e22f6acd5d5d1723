// Each semantic rule with a passing and a failing case, on in-memory inventories.
import { describe, expect, it } from 'vitest';
import { check, codes, operator, participant } from './helpers/build.js';

describe('semantic rules', () => {
  it('a minimal inventory is clean', () => {
    expect(check({ participants: [participant('org-a'), participant('org-b')] })).toEqual([]);
  });

  it('id-mismatch: the id must equal the file name', () => {
    expect(codes(check({ participants: [{ file: 'participants/org-a.yaml', data: participant('org-a') }] }))).toEqual(
      [],
    );
    const findings = check({ participants: [{ file: 'participants/org-b.yaml', data: participant('org-a') }] });
    expect(codes(findings)).toEqual(['id-mismatch']);
    expect(findings[0]!.message).toBe("id 'org-a' must equal the file name 'org-b'");
  });

  it('duplicate-id: two files declaring one id', () => {
    const a = participant('org-a');
    const copy = { ...participant('org-x'), id: 'org-a' };
    const findings = check({ participants: [a, { file: 'participants/old/org-a.yaml', data: copy }] });
    expect(codes(findings)).toEqual(['duplicate-id']);
    expect(findings[0]!.file).toBe('participants/old/org-a.yaml');
  });

  it('unknown-reference: coordinatedBy, edge, product and registration endpoints', () => {
    const ok = participant('school', { kind: 'state-institution', coordinatedBy: 'ministry' });
    expect(codes(check({ participants: [participant('ministry'), ok] }))).toEqual([]);
    const bad = participant('school', { kind: 'state-institution', coordinatedBy: 'nobody' });
    expect(codes(check({ participants: [participant('ministry'), bad] }))).toContain('unknown-reference');
    const self = participant('ministry', { coordinatedBy: 'ministry' });
    expect(codes(check({ participants: [self] }))).toEqual(['unknown-reference']);
    const p = participant('org-a');
    p.channel.edge = 'edge-7';
    p.channel.vipnet.product = 'no-such';
    p.registrations.test.endpoints = ['intake', 'ghost'];
    expect(codes(check({ participants: [p] }))).toEqual([
      'unknown-reference',
      'unknown-reference',
      'unknown-reference',
    ]);
  });

  it('subnet-overlap: between participants, with pools and with edge transit addresses', () => {
    const a = participant('org-a', { networks: ['10.60.0.0/16'] });
    a.endpoints[0]!.address = '10.60.0.10';
    const b = participant('org-b', { networks: ['10.61.0.0/24'] });
    b.endpoints[0]!.address = '10.61.0.10';
    expect(codes(check({ participants: [a, b] }))).toEqual([]);
    const nested = participant('org-b', { networks: ['10.60.5.0/24'] });
    nested.endpoints[0]!.address = '10.60.5.10';
    const found = check({ participants: [a, nested] }).filter((f) => f.code === 'subnet-overlap');
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain('10.60.0.0/16');
    const inPool = participant('org-c', { networks: ['10.210.4.0/24'] });
    inPool.endpoints[0]!.address = '10.210.4.10';
    expect(check({ participants: [inPool] }).find((f) => f.code === 'subnet-overlap')?.message).toContain(
      'gatewayPool',
    );
    const transit = participant('org-d', { networks: ['10.200.0.0/24'] });
    transit.endpoints[0]!.address = '10.200.0.10';
    expect(check({ participants: [transit] }).find((f) => f.code === 'subnet-overlap')?.message).toContain('transit');
  });

  it('endpoint-outside-networks', () => {
    const p = participant('org-a');
    p.endpoints[0]!.address = '10.99.99.99';
    expect(codes(check({ participants: [p] }))).toEqual(['endpoint-outside-networks']);
  });

  it('vipnet-node-mismatch and duplicate-vipnet-node', () => {
    const p = participant('org-a');
    p.channel.vipnet.node = '0x1B0E0001';
    const mismatch = check({ participants: [p] });
    expect(codes(mismatch)).toEqual(['vipnet-node-mismatch']);
    expect(mismatch[0]!.message).toBe('0x1B0E0001 is in network 6926, but vipnet.network is 6670');
    const a = participant('org-a');
    const b = participant('org-b');
    b.channel.vipnet.node = a.channel.vipnet.node.toLowerCase().replace('0X', '0x');
    expect(codes(check({ participants: [a, b] }))).toEqual(['duplicate-vipnet-node']);
  });

  it('duplicate-mnemonic is per contour', () => {
    const a = participant('org-a');
    const b = participant('org-b');
    b.registrations.prod.mnemonic = a.registrations.prod.mnemonic;
    expect(codes(check({ participants: [a, b] }))).toEqual(['duplicate-mnemonic']);
    const c = participant('org-c');
    c.registrations.test.mnemonic = 'SHARED';
    const d = participant('org-d');
    d.registrations.prod.mnemonic = 'SHARED';
    expect(codes(check({ participants: [c, d] }))).toEqual([]);
  });

  it('port-not-allowed follows policy.allowedPorts', () => {
    const p = participant('org-a');
    p.endpoints[0]!.port = 8443;
    expect(codes(check({ participants: [p] }))).toEqual([]);
    p.endpoints[0]!.port = 80;
    expect(codes(check({ participants: [p] }))).toEqual(['port-not-allowed']);
  });

  it('contour-order: prod only after test is tested', () => {
    const p = participant('org-a');
    p.registrations.test.status = 'registered';
    delete (p.registrations.test as { tested?: string }).tested;
    expect(codes(check({ participants: [p] }))).toEqual(['contour-order']);
    const { test: _t, ...prodOnly } = participant('org-b').registrations;
    expect(codes(check({ participants: [participant('org-b', { registrations: prodOnly })] }))).toEqual([
      'contour-order',
    ]);
  });

  it('coordinator-required for institutions and rural settlements', () => {
    for (const kind of ['state-institution', 'municipal-institution', 'rural-settlement']) {
      const p = participant('org-a', { kind, agreements: { joining: '2026-01-01', personalData: '2026-01-01' } });
      expect(codes(check({ participants: [p] }))).toEqual(['coordinator-required']);
    }
    expect(codes(check({ participants: [participant('org-a', { kind: 'executive-body' })] }))).toEqual([]);
  });

  it('agreement-missing: everyone but executive bodies and their institutions', () => {
    const agreements = { joining: '2026-01-01', personalData: '2026-01-01' };
    const municipality = participant('city', { kind: 'local-government' });
    expect(codes(check({ participants: [municipality] }))).toEqual(['agreement-missing']);
    expect(codes(check({ participants: [participant('city', { kind: 'local-government', agreements })] }))).toEqual([]);
    const half = participant('city', { kind: 'local-government', agreements: { joining: '2026-01-01' } });
    expect(check({ participants: [half] })[0]!.message).toContain('agreements.personalData');
    const hospital = participant('hospital', { kind: 'state-institution', coordinatedBy: 'ministry' });
    expect(codes(check({ participants: [participant('ministry'), hospital] }))).toEqual([]);
    const school = participant('school', { kind: 'municipal-institution', coordinatedBy: 'city' });
    expect(
      codes(check({ participants: [participant('city', { kind: 'local-government', agreements }), school] })),
    ).toEqual(['agreement-missing']);
  });

  it('leased-line-incomplete', () => {
    const complete = { provider: 'ПАО «Ростелеком»', circuit: 'C-1', application: 'Прил. 10 № 1', link: 'auto' };
    const p = participant('org-a', { channel: { type: 'leased-line', edge: 'edge-1', leasedLine: complete } });
    expect(codes(check({ participants: [p] }))).toEqual([]);
    const q = participant('org-a', { channel: { type: 'leased-line', edge: 'edge-1', leasedLine: { provider: 'X' } } });
    const findings = check({ participants: [q] });
    expect(codes(findings)).toEqual(['leased-line-incomplete']);
    expect(findings[0]!.message).toContain('circuit, application');
  });

  it('schema: a vipnet channel needs its vipnet block', () => {
    const p = participant('org-a', { channel: { type: 'vipnet', edge: 'edge-1' } });
    const findings = check({ participants: [p] });
    expect(codes(findings)).toEqual(['schema']);
    expect(findings[0]!.message).toBe("missing required field 'vipnet'");
    expect(findings[0]!.path).toBe('channel');
  });

  it('schema: unknown fields name what is accepted', () => {
    const findings = check({ participants: [participant('org-a', { colour: 'red' })] });
    expect(findings[0]!.message).toMatch(/unknown field 'colour'; accepted here: id, name, kind/);
  });

  it('pool-exhausted: a /30 pool holds no more than its one usable gateway', () => {
    const op = operator();
    op.contours.prod.gatewayPool = '10.220.0.0/30';
    expect(codes(check({ operator: op, participants: [participant('org-a')] }))).toEqual([]);
    expect(codes(check({ operator: op, participants: [participant('org-a'), participant('org-b')] }))).toEqual([
      'pool-exhausted',
    ]);
  });

  it('certificate-expiry warns at --at, without making the inventory invalid', () => {
    const findings = check({ participants: [participant('org-a')] }, '2027-12-15');
    expect(findings.map((f) => [f.code, f.severity])).toEqual([['certificate-expiry', 'warning']]);
    expect(check({ participants: [participant('org-a')] }, '2028-01-02')[0]!.message).toContain(
      'expired on 2027-12-31',
    );
  });
});
