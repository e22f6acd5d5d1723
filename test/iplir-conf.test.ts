// The iplir.conf reader (src/render/iplir-conf.ts) against hand-written files in
// test/fixtures/vipnet/: a hub coordinator's file in KOI8-R with CRLF line ends (its UTF-8, LF twin
// hub-koi8r-crlf.conf.utf8.txt is the text it was encoded from: python3 -c "import sys;
// t=open(sys.argv[1],encoding='utf-8').read(); open(sys.argv[2],'wb').write(t.replace('\n','\r\n')
// .encode('koi8_r'))" <twin> <conf>), an ASCII file of edge cases, and a file in the ViPNet 2.x
// layout (KOI8-R, LF). Every field is checked with its exact value; a 10,000-node file is parsed
// once to show the reader is linear.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BROADCAST_FILTER_ID,
  compareVersions,
  decodeIplirConf,
  detectIplirEncoding,
  formatNodeId,
  MAIN_FILTER_ID,
  nodeKind,
  nodeNetwork,
  parseIplirConf,
  parseNodeId,
  parseTunnel,
  type IplirNode,
} from '../src/render/iplir-conf.js';

const DIR = path.join(import.meta.dirname, 'fixtures', 'vipnet');
const bytes = (name: string) => new Uint8Array(readFileSync(path.join(DIR, name)));
const readConf = (name: string) => parseIplirConf(decodeIplirConf(bytes(name)), name);
const range = (first: string, last = first) => ({ first, last });
const byId = (nodes: IplirNode[], id: number) => nodes.find((n) => n.id === id);

describe('decoding', () => {
  it('reads the KOI8-R file with its Russian names, ё included', () => {
    const raw = bytes('hub-koi8r-crlf.conf');
    expect(detectIplirEncoding(raw)).toBe('koi8-r');
    const text = decodeIplirConf(raw);
    expect(text.split('\r\n')[1]).toBe('# Файл ведёт ПО ViPNet: правка только через "iplir config".');
    expect(text).toContain('name= Департамент здравоохранения ТО; ГИС "Здоровье"\r\n');
    // The whole file decodes to its UTF-8 twin, line ends aside.
    const twin = readFileSync(path.join(DIR, 'hub-koi8r-crlf.conf.utf8.txt'), 'utf8');
    expect(text.replaceAll('\r\n', '\n')).toBe(twin);
  });

  it('accepts a UTF-8 copy, with or without a BOM, and gives the same text', () => {
    const twin = bytes('hub-koi8r-crlf.conf.utf8.txt');
    const expected = decodeIplirConf(bytes('hub-koi8r-crlf.conf')).replaceAll('\r\n', '\n');
    expect(detectIplirEncoding(twin)).toBe('utf-8');
    expect(decodeIplirConf(twin)).toBe(expected);
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...twin]);
    expect(detectIplirEncoding(withBom)).toBe('utf-8');
    expect(decodeIplirConf(withBom)).toBe(expected);
  });

  it('reads ASCII, and UTF-8 without Cyrillic, as KOI8-R', () => {
    expect(detectIplirEncoding(bytes('edge-cases.conf'))).toBe('koi8-r');
    const cafe = new TextEncoder().encode('name= café');
    expect(detectIplirEncoding(cafe)).toBe('koi8-r');
    expect(decodeIplirConf(cafe)).toBe('name= cafц╘');
    expect(decodeIplirConf(new TextEncoder().encode('name= Школа'))).toBe('name= Школа');
  });
});

describe('the hub coordinator file (KOI8-R, CRLF, 4.x)', () => {
  const conf = readConf('hub-koi8r-crlf.conf');

  it('has no problems and keeps the source name', () => {
    expect(conf.problems).toEqual([]);
    expect(conf.source).toBe('hub-koi8r-crlf.conf');
  });

  it('reads every [id] section as a node, in file order', () => {
    expect(conf.nodes.map((n) => [formatNodeId(n.id), n.kind, n.line])).toEqual([
      ['0x1a0e0001', 'node', 3],
      ['0xffffffff', 'broadcast-filter', 19],
      ['0xfffffffe', 'main-filter', 31],
      ['0x1a0e0010', 'node', 37],
      ['0x1a0e0011', 'node', 53],
      ['0x1a0e0020', 'node', 73],
      ['0x1a0e0021', 'node', 87],
    ]);
  });

  it("reads the coordinator's own node", () => {
    expect(byId(conf.nodes, 0x1a0e0001)).toEqual({
      id: 0x1a0e0001,
      idText: '0x1a0e0001',
      network: 6670,
      kind: 'node',
      name: 'Координатор ЦИТТО (хаб)',
      ips: ['10.200.0.2', '192.0.2.10'],
      firewallIp: '192.0.2.10',
      tunnels: [
        {
          from: range('10.210.0.1', '10.210.255.254'),
          to: range('10.210.0.1', '10.210.255.254'),
          line: 9,
          text: '10.210.0.1-10.210.255.254 to 10.210.0.1-10.210.255.254',
        },
      ],
      filterDefault: 'pass',
      filters: [],
      version: '4.5.3-57',
      line: 3,
      other: {
        port: ['55777'],
        proxyid: ['0x00000000'],
        usefirewall: ['off'],
        fixfirewall: ['off'],
        virtualip: ['11.0.0.1'],
      },
    });
  });

  it('recognises the two filter pseudo-nodes and keeps their rules raw', () => {
    expect(byId(conf.nodes, BROADCAST_FILTER_ID)).toEqual({
      id: 0xffffffff,
      idText: '0xffffffff',
      network: 0xffff,
      kind: 'broadcast-filter',
      name: 'Encrypted broadcasts',
      ips: [],
      tunnels: [],
      filterDefault: 'drop',
      filters: [
        { key: 'filterudp', value: '137, 137, pass, any', line: 23 },
        { key: 'filterudp', value: '138, 138, pass, any', line: 24 },
        { key: 'filterudp', value: '68, 67, pass, any', line: 25 },
        { key: 'filterudp', value: '67, 68, pass, any', line: 26 },
        { key: 'filterudp', value: '2046, 0-65535, pass, recv', line: 27 },
        { key: 'filterudp', value: '2046, 2046, pass, send', line: 28 },
      ],
      line: 19,
      other: {},
    });
    expect(byId(conf.nodes, MAIN_FILTER_ID)).toEqual({
      id: 0xfffffffe,
      idText: '0xfffffffe',
      network: 0xffff,
      kind: 'main-filter',
      name: 'Main Filter',
      ips: [],
      tunnels: [],
      filterDefault: 'pass',
      filters: [{ key: 'filtertcp', value: '0-65535, 3389, drop, recv', line: 35 }],
      line: 31,
      other: {},
    });
  });

  it('reads the participant nodes: addresses, tunnels, filters, versions, other keys', () => {
    expect(byId(conf.nodes, 0x1a0e0010)).toEqual({
      id: 0x1a0e0010,
      idText: '0x1a0e0010',
      network: 6670,
      kind: 'node',
      name: 'Департамент образования и науки ТО',
      ips: ['10.31.1.1, 11.0.0.16'],
      accessIp: '11.0.0.16',
      firewallIp: '10.31.1.1',
      tunnels: [
        {
          from: range('10.31.1.10', '10.31.1.11'),
          to: range('10.31.1.10', '10.31.1.11'),
          line: 43,
          text: '10.31.1.10-10.31.1.11 to 10.31.1.10-10.31.1.11',
        },
      ],
      filterDefault: 'pass',
      filters: [],
      version: '4.5.3-57',
      line: 37,
      other: {
        accessiplist: ['11.0.0.16, auto, 0.0.0.0, 0, auto'],
        port: ['55777'],
        proxyid: ['0xfffffffe'],
        dynamic_timeout: ['0'],
        usefirewall: ['on'],
        virtualip: ['11.0.0.16'],
      },
    });
    expect(byId(conf.nodes, 0x1a0e0011)).toEqual({
      id: 0x1a0e0011,
      idText: '0x1a0e0011',
      network: 6670,
      kind: 'node',
      name: 'Департамент здравоохранения ТО; ГИС "Здоровье"',
      ips: ['10.31.2.1'],
      accessIp: '203.0.113.17',
      tunnels: [
        {
          from: range('10.31.2.10', '10.31.2.19'),
          to: range('10.31.2.10', '10.31.2.19'),
          line: 59,
          text: '10.31.2.10-10.31.2.19 to 10.31.2.10-10.31.2.19',
        },
        {
          from: range('10.31.2.100'),
          to: range('10.31.2.100'),
          line: 60,
          text: '10.31.2.100-10.31.2.100 to 10.31.2.100-10.31.2.100',
        },
      ],
      filterDefault: 'drop',
      filters: [
        { key: 'filtertcp', value: '0-65535, 443, pass, send', line: 63 },
        { key: 'filtertcp', value: '0-65535, 8443, pass, send', line: 64 },
        { key: 'filtericmp', value: '0-255, 0-255, pass, any', line: 65 },
      ],
      version: '4.3.2-6015',
      line: 53,
      other: {
        exclude_from_tunnels: ['10.31.2.15-10.31.2.15', '10.31.2.17-10.31.2.17'],
        port: ['55777'],
        proxyid: ['0xfffffffe'],
        usefirewall: ['on'],
        virtualip: ['11.0.0.17'],
      },
    });
    // No filterdefault= in the section: the field is absent, not defaulted.
    const district = byId(conf.nodes, 0x1a0e0020);
    expect(district).toEqual({
      id: 0x1a0e0020,
      idText: '0x1a0e0020',
      network: 6670,
      kind: 'node',
      name: 'Администрация Тюменского муниципального района',
      ips: ['10.35.0.1'],
      accessIp: '198.51.100.32',
      firewallIp: '10.35.0.1',
      tunnels: [
        {
          from: range('10.35.0.1', '10.35.0.254'),
          to: range('10.35.0.1', '10.35.0.254'),
          line: 78,
          text: '10.35.0.1-10.35.0.254 to 10.35.0.1-10.35.0.254',
        },
      ],
      filters: [],
      version: '3.2-672',
      line: 73,
      other: {
        port: ['55777'],
        proxyid: ['0xfffffffe'],
        usefirewall: ['on'],
        forcereal: ['off'],
        virtualip: ['11.0.0.32'],
      },
    });
    expect(district && 'filterDefault' in district).toBe(false);
    expect(byId(conf.nodes, 0x1a0e0021)).toEqual({
      id: 0x1a0e0021,
      idText: '0x1a0e0021',
      network: 6670,
      kind: 'node',
      name: 'Администрация Каскаринского МО',
      ips: ['10.35.10.1'],
      accessIp: '198.51.100.33',
      tunnels: [
        {
          from: range('10.35.10.1', '10.35.10.62'),
          to: range('10.35.10.1', '10.35.10.62'),
          line: 93,
          text: '10.35.10.1-10.35.10.62 to 10.35.10.1-10.35.10.62',
        },
      ],
      filterDefault: 'pass',
      filters: [],
      version: '4.2.3-3',
      line: 87,
      other: { port: ['55777'], proxyid: ['0xfffffffe'], usefirewall: ['on'], virtualip: ['11.0.0.33'] },
    });
  });

  it('keeps every other section by name, repeated ones apart, comments left out', () => {
    expect(conf.sections.map((s) => [s.name, s.line, s.entries.length])).toEqual([
      ['adapter', 100, 4],
      ['adapter', 106, 4],
      ['dynamic', 112, 6],
      ['misc', 120, 13],
      ['debug', 135, 2],
      ['servers', 139, 1],
      ['virtualip', 142, 4],
      ['visibility', 149, 2],
    ]);
    expect(conf.sections[0]?.entries).toEqual([
      { key: 'name', value: 'eth0', line: 101 },
      { key: 'ip', value: '192.0.2.10', line: 102 },
      { key: 'allowtraffic', value: 'on', line: 103 },
      { key: 'type', value: 'external', line: 104 },
    ]);
    expect(conf.sections[1]?.entries).toEqual([
      { key: 'name', value: 'eth1', line: 107 },
      { key: 'ip', value: '10.200.0.2', line: 108 },
      { key: 'allowtraffic', value: 'on', line: 109 },
      { key: 'type', value: 'internal', line: 110 },
    ]);
    expect(conf.sections[2]?.entries).toEqual([
      { key: 'dynamic_proxy', value: 'off', line: 113 },
      { key: 'firewallip', value: '192.0.2.10', line: 114 },
      { key: 'port', value: '55777', line: 115 },
      { key: 'forward_id', value: '0x00000000', line: 116 },
      { key: 'always_use_server', value: 'off', line: 117 },
      { key: 'timeout', value: '25', line: 118 },
    ]);
    expect(conf.sections[3]?.entries.map((e) => `${e.line} ${e.key}=${e.value}`)).toEqual([
      '121 config_version=4.5.3-57',
      '122 packettype=4.1',
      '123 timediff=7200',
      '124 timesync=off',
      '125 client_pollinterval=300',
      '126 server_pollinterval=900',
      '127 tunnel_local_network=off',
      '128 ifcheck_timeout=30',
      '129 ipforwarding=on',
      '130 msg_compress_level=9',
      '131 mssdecrease=0',
      '132 ciphertype=gost',
      '133 tunnel_virt_assignment=auto',
    ]);
    expect(conf.sections[4]?.entries).toEqual([
      { key: 'debuglevel', value: '3', line: 136 },
      { key: 'debuglogfile', value: 'syslog:daemon.debug', line: 137 },
    ]);
    expect(conf.sections[5]?.entries).toEqual([
      { key: 'server', value: '0x1a0e0001, Координатор ЦИТТО (хаб)', line: 140 },
    ]);
    expect(conf.sections[6]?.entries).toEqual([
      { key: 'startvirtualip', value: '11.0.0.1', line: 143 },
      { key: 'endvirtualip', value: '11.0.0.33', line: 144 },
      { key: 'maxvirtualip', value: '11.0.0.254', line: 145 },
      { key: 'startvirtualiphash', value: '0x5a17c0de', line: 147 },
    ]);
    expect(conf.sections[7]?.entries).toEqual([
      { key: 'default', value: 'auto', line: 150 },
      { key: 'tunneldefault', value: 'real', line: 151 },
    ]);
  });

  it('reads the UTF-8 twin (LF) to the same model', () => {
    const twin = parseIplirConf(decodeIplirConf(bytes('hub-koi8r-crlf.conf.utf8.txt')));
    expect(twin.nodes).toEqual(conf.nodes);
    expect(twin.sections).toEqual(conf.sections);
    expect(twin.problems).toEqual([]);
    expect('source' in twin).toBe(false);
  });
});

describe('the edge-case file (ASCII, LF)', () => {
  const conf = readConf('edge-cases.conf');

  it('reads the node despite odd case, spaces around =, a tab, repeated ip=', () => {
    expect(conf.nodes[0]).toEqual({
      id: 0x1a0e0040,
      idText: '0x1A0E0040',
      network: 6670,
      kind: 'node',
      name: 'edge-node-1',
      ips: ['10.40.0.1', '10.40.0.2', '10.40.0.3'],
      accessIp: '198.51.100.40',
      firewallIp: '',
      tunnels: [
        { from: range('10.40.1.5'), to: range('10.40.1.5'), line: 10, text: '10.40.1.5 to 10.40.1.5' },
        {
          from: range('10.40.2.1', '10.40.2.9'),
          to: range('10.40.3.1'),
          line: 11,
          text: '10.40.2.1-10.40.2.9 to 10.40.3.1',
        },
        {
          from: range('10.40.6.1', '10.40.6.9'),
          to: range('10.40.6.1', '10.40.6.9'),
          line: 14,
          text: '10.40.6.1 - 10.40.6.9   TO   10.40.6.1 - 10.40.6.9',
        },
      ],
      filterDefault: 'Drop',
      filters: [{ key: 'filterudp', value: '53, 0-65535, pass, send', line: 17 }],
      version: '3.2.x',
      line: 4,
      // `#` and `;` inside a value are not comments.
      other: { somefuturekey: ['1', '2'], comment: ['#5; not a comment'] },
    });
  });

  it('keeps a node with a repeated id under its first id, and flags the duplicate node', () => {
    expect(conf.nodes).toHaveLength(2);
    expect(conf.nodes[1]).toEqual({
      id: 0x1a0e0040,
      idText: '0x1a0e0040',
      network: 6670,
      kind: 'node',
      name: 'duplicate of edge-node-1',
      ips: [],
      tunnels: [],
      filters: [],
      line: 37,
      other: {},
    });
  });

  it('reports every problem with its line, in line order', () => {
    expect(conf.problems.map(({ code, line, text }) => ({ code, line, text }))).toEqual([
      { code: 'outside-section', line: 2, text: 'stray= a key before any section' },
      { code: 'bad-tunnel', line: 12, text: 'tunnel= 10.40.4.1-10.40.4.9 10.40.4.1-10.40.4.9' },
      { code: 'bad-tunnel', line: 13, text: 'tunnel= 10.40.5.9-10.40.5.1 to 10.40.5.1-10.40.5.9' },
      { code: 'bad-tunnel', line: 15, text: 'tunnel= 10.40.7.1-10.40.7.300 to 10.40.7.1-10.40.7.9' },
      { code: 'malformed-line', line: 16, text: 'this line has no equals sign' },
      { code: 'repeated-key', line: 22, text: 'name= second name' },
      { code: 'section-without-id', line: 29, text: '[id]' },
      { code: 'section-without-id', line: 33, text: '[id]' },
      { code: 'bad-id', line: 34, text: 'id= 0xZZ00' },
      { code: 'duplicate-id', line: 37, text: '[id]' },
      { code: 'repeated-key', line: 39, text: 'id= 0x1a0e0041' },
      { code: 'empty-key', line: 44, text: '= orphan value' },
      { code: 'bad-section-header', line: 45, text: '[broken' },
      { code: 'bad-section-header', line: 50, text: '[adapter] eth9' },
    ]);
    const message = (line: number) => conf.problems.find((p) => p.line === line)?.message;
    expect(message(12)).toBe(
      'a tunnel is "<first>-<last> to <first>-<last>" (or single addresses): "10.40.4.1-10.40.4.9 10.40.4.1-10.40.4.9"',
    );
    expect(message(13)).toBe('a range from 10.40.5.9 down to 10.40.5.1');
    expect(message(15)).toBe('not an IPv4 address or range: "10.40.7.1-10.40.7.300"');
    expect(message(22)).toBe('name= repeated; the node keeps line 6');
    expect(message(34)).toBe('not a node id (0x and up to eight hex digits): "0xZZ00"');
    expect(message(37)).toBe('node 0x1a0e0040 is already described at line 4');
    expect(message(39)).toBe('id= repeated; the node keeps 0x1a0e0040');
  });

  it('keeps what a section without a valid id held, in its problem', () => {
    expect(conf.problems.find((p) => p.line === 29)?.entries).toEqual([
      { key: 'name', value: 'no id here', line: 30 },
      { key: 'ip', value: '10.41.0.1', line: 31 },
    ]);
    expect(conf.problems.find((p) => p.line === 33)?.entries).toEqual([
      { key: 'id', value: '0xZZ00', line: 34 },
      { key: 'name', value: 'bad id', line: 35 },
    ]);
    expect(conf.problems.find((p) => p.line === 45)?.entries).toEqual([
      { key: 'key', value: 'lost with its header', line: 46 },
    ]);
  });

  it('keeps unknown and oddly written sections by their lowercased names', () => {
    expect(conf.sections).toEqual([
      { name: 'misc', line: 42, entries: [{ key: 'timediff', value: '7200', line: 43 }] },
      {
        name: 'custom_section',
        line: 47,
        entries: [
          { key: 'answer', value: '42', line: 48 },
          { key: 'answer', value: '43', line: 49 },
        ],
      },
      { name: 'adapter', line: 50, entries: [{ key: 'name', value: 'eth9', line: 51 }] },
    ]);
  });
});

describe('the ViPNet 2.x layout (KOI8-R, LF)', () => {
  const conf = readConf('client-2x-koi8r-lf.conf');

  it('has no problems', () => {
    expect(conf.problems).toEqual([]);
  });

  it("reads the node's own section and the coordinator it works through", () => {
    expect(conf.nodes[0]).toEqual({
      id: 0x0c5a0003,
      idText: '0x0c5a0003',
      network: 3162,
      kind: 'node',
      name: 'АРМ оператора',
      ips: ['192.168.10.5'],
      firewallIp: '192.168.10.5',
      tunnels: [],
      filterDefault: 'pass',
      filters: [],
      version: '2.8-166',
      line: 2,
      other: {
        port: ['55777'],
        proxyid: ['0x0c5a0001'],
        virtualip: ['11.0.0.3'],
        forcereal: ['off'],
        dynamic_firewallip: ['0.0.0.0'],
        dynamic_port: ['0'],
        usefirewall: ['off'],
      },
    });
    expect(conf.nodes[3]).toEqual({
      id: 0x0c5a0001,
      idText: '0x0c5a0001',
      network: 3162,
      kind: 'node',
      name: 'Координатор филиала N 2',
      ips: ['192.168.10.1', '172.16.5.2'],
      firewallIp: '172.16.5.2',
      tunnels: [
        {
          from: range('192.168.20.1', '192.168.20.254'),
          to: range('192.168.20.1', '192.168.20.254'),
          line: 45,
          text: '192.168.20.1-192.168.20.254 to 192.168.20.1-192.168.20.254',
        },
        {
          from: range('192.168.30.10', '192.168.30.20'),
          to: range('192.168.30.10', '192.168.30.20'),
          line: 46,
          text: '192.168.30.10-192.168.30.20 to 192.168.30.10-192.168.30.20',
        },
      ],
      filterDefault: 'pass',
      filters: [
        { key: 'filtertcp', value: '0-65535, 23, drop, recv', line: 43 },
        { key: 'filtertcp', value: '0-65535, 80, pass, any, disable', line: 44 },
      ],
      version: '2.8-166',
      line: 32,
      other: {
        port: ['55777'],
        proxyid: ['0x00000000'],
        virtualip: ['11.0.0.1'],
        forcereal: ['on'],
        usefirewall: ['on'],
      },
    });
  });

  it('recognises upper-case pseudo-node ids and their 2.x filters (filterip, filterservice)', () => {
    expect(conf.nodes[1]).toEqual({
      id: BROADCAST_FILTER_ID,
      idText: '0xFFFFFFFF',
      network: 0xffff,
      kind: 'broadcast-filter',
      name: 'Широковещательные пакеты',
      ips: [],
      tunnels: [],
      filterDefault: 'drop',
      filters: [
        { key: 'filterudp', value: '137, 137, pass, any', line: 21 },
        { key: 'filterudp', value: '138, 138, pass, any', line: 22 },
        { key: 'filterudp', value: '67, 68, pass, any, disable', line: 23 },
      ],
      line: 17,
      other: {},
    });
    expect(conf.nodes[2]).toEqual({
      id: MAIN_FILTER_ID,
      idText: '0xFFFFFFFE',
      network: 0xffff,
      kind: 'main-filter',
      name: 'Все IP-пакеты',
      ips: [],
      tunnels: [],
      filterDefault: 'pass',
      filters: [
        { key: 'filterip', value: '47', line: 29 },
        { key: 'filterservice', value: 'NetBIOS, drop, inform', line: 30 },
      ],
      line: 25,
      other: {},
    });
    expect(conf.nodes).toHaveLength(4);
  });

  it('keeps the [service] section and the 2.x [servers] keys', () => {
    expect(conf.sections.map((s) => [s.name, s.line])).toEqual([
      ['service', 50],
      ['adapter', 55],
      ['dynamic', 59],
      ['misc', 62],
      ['servers', 68],
      ['virtualip', 74],
    ]);
    expect(conf.sections[0]?.entries).toEqual([
      { key: 'name', value: 'NetBIOS', line: 51 },
      { key: 'filterudp', value: '137, 137,, any', line: 52 },
      { key: 'filtertcp', value: '139, 0-65535,, any', line: 53 },
    ]);
    expect(conf.sections[4]?.entries).toEqual([
      { key: 'server', value: '0x0c5a0001, Координатор филиала N 2', line: 69 },
      { key: 'active', value: '0x0c5a0001', line: 70 },
      { key: 'primary', value: '0x0c5a0001', line: 71 },
      { key: 'secondary', value: '0x00000000', line: 72 },
    ]);
  });
});

describe('text details', () => {
  it('drops a BOM and reads CRLF, LF and lone CR line ends alike', () => {
    const conf = parseIplirConf('\ufeff[id]\r\nid= 0x1a0e0005\rname= a\nip= 10.0.0.1\r\n');
    expect(conf.problems).toEqual([]);
    expect(conf.nodes).toEqual([
      {
        id: 0x1a0e0005,
        idText: '0x1a0e0005',
        network: 6670,
        kind: 'node',
        name: 'a',
        ips: ['10.0.0.1'],
        tunnels: [],
        filters: [],
        line: 1,
        other: {},
      },
    ]);
  });

  it('reads an empty text as an empty model', () => {
    expect(parseIplirConf('')).toEqual({ nodes: [], sections: [], problems: [] });
  });

  it('keeps keys such as __proto__ as plain data', () => {
    const conf = parseIplirConf('[id]\nid= 0x00000001\n__proto__= x\nconstructor= y\n');
    expect(conf.nodes[0]?.other.__proto__).toEqual(['x']);
    expect(conf.nodes[0]?.other.constructor).toEqual(['y']);
  });
});

describe('helpers', () => {
  it('nodeNetwork, formatNodeId, parseNodeId, nodeKind', () => {
    expect(nodeNetwork(0x1a0e000a)).toBe(6670);
    expect(nodeNetwork(0xffffffff)).toBe(0xffff);
    expect(formatNodeId(0x1a0e000a)).toBe('0x1a0e000a');
    expect(formatNodeId(10)).toBe('0x0000000a');
    expect(formatNodeId(-1)).toBe('0xffffffff');
    expect(parseNodeId('0x1A0E000A')).toBe(0x1a0e000a);
    expect(parseNodeId(' 0xffffffff ')).toBe(0xffffffff);
    expect(parseNodeId('0xa')).toBe(10);
    expect(parseNodeId('1a0e000a')).toBeUndefined();
    expect(parseNodeId('0x123456789')).toBeUndefined();
    expect(parseNodeId('0x')).toBeUndefined();
    expect(nodeKind(0xffffffff)).toBe('broadcast-filter');
    expect(nodeKind(0xfffffffe)).toBe('main-filter');
    expect(nodeKind(0x1a0e0001)).toBe('node');
  });

  it('parseTunnel', () => {
    expect(parseTunnel('10.0.0.1-10.0.0.9 to 10.0.1.1')).toEqual({
      from: range('10.0.0.1', '10.0.0.9'),
      to: range('10.0.1.1'),
    });
    expect(parseTunnel('010.0.0.1 to 10.0.0.1')).toBe('not an IPv4 address or range: "010.0.0.1"');
    expect(parseTunnel('10.0.0.1 to 10.0.0.2 to 10.0.0.3')).toMatch(/^a tunnel is/);
    expect(parseTunnel('to 10.0.0.1')).toMatch(/^a tunnel is/);
    expect(parseTunnel('10.0.0.1-10.0.0.2-10.0.0.3 to 10.0.0.1')).toBe(
      'not an IPv4 address or range: "10.0.0.1-10.0.0.2-10.0.0.3"',
    );
  });

  it('compareVersions: numeric parts, dots and dashes, tolerant of suffixes', () => {
    expect(compareVersions('4.5.3-57', '4.5.3-100')).toBe(-1);
    expect(compareVersions('4.5.3-57', '4.5.3-57')).toBe(0);
    expect(compareVersions('2.8-166', '2.8-99')).toBe(1);
    expect(compareVersions('3.2-672', '4.2.3-3')).toBe(-1);
    expect(compareVersions('4.5', '4.5.0')).toBe(0);
    expect(compareVersions('4.5', '4.5.1')).toBe(-1);
    expect(compareVersions('3.2.x', '3.2.0')).toBe(-1);
    expect(compareVersions('3.2.x', '3.2.X')).toBe(0);
    expect(compareVersions('3.2.x', '3.1.9')).toBe(1);
    expect(compareVersions('v4.2', '4.2')).toBe(0);
    expect(compareVersions('4.5.3-57a', '4.5.3-57')).toBe(1);
    expect(compareVersions('4.10', '4.9')).toBe(1);
    expect(compareVersions('1.00000000000000000000001', '1.1')).toBe(0);
    expect(['4.5.3-57', '3.2.x', '4.2.3-3', '3.2-672', '2.8-166'].sort(compareVersions)).toEqual([
      '2.8-166',
      '3.2.x',
      '3.2-672',
      '4.2.3-3',
      '4.5.3-57',
    ]);
  });
});

describe('a 10,000-node file', () => {
  it('is read in one pass: every node, a sample exactly', () => {
    const lines: string[] = ['# generated in the test', '[id]', 'id= 0x1a0e0001', 'name= hub', 'ip= 10.200.0.2', ''];
    for (let i = 0; i < 10_000; i++) {
      const id = formatNodeId(0x1a0e0100 + i);
      const net = `10.${100 + (i >> 8)}.${i & 0xff}`;
      lines.push(
        '[id]',
        `id= ${id}`,
        `name= Участник ${i}`,
        'filterdefault= pass',
        `ip= ${net}.1`,
        `accessip= 198.51.${i >> 8}.${i & 0xff}`,
        `tunnel= ${net}.10-${net}.20 to ${net}.10-${net}.20`,
        'port= 55777',
        'version= 4.5.3-57',
        '',
      );
    }
    const text = lines.join('\r\n');
    expect(text.length).toBeGreaterThan(1_500_000);
    const conf = parseIplirConf(text);
    expect(conf.problems).toEqual([]);
    expect(conf.nodes).toHaveLength(10_001);
    expect(conf.nodes[4322]).toEqual({
      id: 0x1a0e0100 + 4321,
      idText: '0x1a0e11e1',
      network: 6670,
      kind: 'node',
      name: 'Участник 4321',
      ips: ['10.116.225.1'],
      accessIp: '198.51.16.225',
      tunnels: [
        {
          from: range('10.116.225.10', '10.116.225.20'),
          to: range('10.116.225.10', '10.116.225.20'),
          line: 7 + 10 * 4321 + 6,
          text: '10.116.225.10-10.116.225.20 to 10.116.225.10-10.116.225.20',
        },
      ],
      filterDefault: 'pass',
      filters: [],
      version: '4.5.3-57',
      line: 7 + 10 * 4321,
      other: { port: ['55777'] },
    });
  });
});
