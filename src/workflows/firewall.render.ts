// prichal firewall as people read it: the rulesets (render), or per edge what the apply did.
import type { Lang } from '../report/index.js';
import { describeApply, type FirewallResult } from './firewall.js';

export const firewallText = (result: FirewallResult, lang: Lang): string =>
  result.rendered
    ? result.rendered.map((x) => x.text).join('\n')
    : (result.applied ?? []).map((a) => `${a.edge}: ${describeApply(a)[lang]}`).join('\n');
