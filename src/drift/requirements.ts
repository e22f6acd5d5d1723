// The requirement catalogue (requirements.md): stable ids, sources in the seeds, what each reads.
export const REQUIREMENTS = {
  'CH-1': { title: 'Channel is ViPNet or a dedicated leased line', source: '003 §9.1, §3.1.6.1', reads: 'inventory' },
  'CH-2': { title: 'ViPNet product certified and its certificate valid', source: '003 §9.1', reads: 'inventory' },
  'CH-3': { title: 'Leased line documented (provider, circuit, Appendix 10)', source: '003 §3.1.6.1', reads: 'inventory' },
  'FW-1': { title: 'Edge filters by default-deny', source: '003 §9', reads: 'live' },
  'FW-2': { title: 'Accepting rules match declared flows only', source: '003 §9', reads: 'live' },
  'FW-3': { title: 'Live ruleset equals the planned ruleset', source: 'drift', reads: 'live' },
  'GW-1': { title: 'Gateway present, running, as planned and hardened', source: 'drift', reads: 'live' },
  'BUS-1': { title: 'Bus registration equals the plan', source: '003 §4.3, drift', reads: 'live' },
  'BUS-2': { title: 'Production only after a tested test registration', source: '003 §4.6', reads: 'inventory + live' },
  'SIG-1': { title: 'Signer certificates valid', source: '002 (63-ФЗ art. 6)', reads: 'inventory' },
  'ORG-1': { title: 'Joining and personal-data agreements present', source: '000 §1.1, §2.2, footnote', reads: 'inventory' },
  'ORG-2': { title: 'Support-request fields complete', source: '000 request form', reads: 'inventory' },
  'WS-1': { title: 'Workstations run CryptoPro CSP ≥ policy minimum', source: '001', reads: 'inventory' },
} as const;

export type RequirementId = keyof typeof REQUIREMENTS;
export const REQUIREMENT_IDS = Object.keys(REQUIREMENTS) as RequirementId[];
export const INVENTORY_REQUIREMENTS: RequirementId[] = ['CH-1', 'CH-2', 'CH-3', 'BUS-2', 'SIG-1', 'ORG-1', 'ORG-2', 'WS-1'];
export const LIVE_REQUIREMENTS: RequirementId[] = ['FW-1', 'FW-2', 'FW-3', 'GW-1', 'BUS-1', 'BUS-2'];
