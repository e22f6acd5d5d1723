// prichal probe as people read it: the verdict, then each declared endpoint and each undeclared
// flow with its result (the protocol's own codes, as the JSON records them).
import type { ProbeProtocol } from '../infra/probe.js';
import { labels, type Lang } from '../report/index.js';

export function probeText(p: ProbeProtocol, lang: Lang): string {
  if (lang === 'en') {
    const lines = [
      `probe ${p.participant} (${p.mnemonic}) in ${p.contour} via ${p.edge}, gateway ${p.gateway}: ${p.passed ? 'PASSED' : 'FAILED'}`,
    ];
    for (const a of p.allowed)
      lines.push(
        `  allow ${a.protocol}://${a.address}:${a.port}${a.path}  ${a.result}${a.httpStatus ? ` (HTTP ${a.httpStatus})` : ''}`,
      );
    for (const d of p.denied)
      lines.push(`  deny  ${d.source} -> ${d.address}:${d.port}  ${d.result}  (${d.description})`);
    return lines.join('\n');
  }
  const lines = [
    `проба ${p.participant} (${p.mnemonic}), ${labels(lang).contours[p.contour]} контур, через ${p.edge}, шлюз ${p.gateway}: ${p.passed ? 'ПРОЙДЕНА' : 'НЕ ПРОЙДЕНА'}`,
  ];
  for (const a of p.allowed)
    lines.push(
      `  разрешено  ${a.protocol}://${a.address}:${a.port}${a.path}  ${a.result}${a.httpStatus ? ` (HTTP ${a.httpStatus})` : ''}`,
    );
  for (const d of p.denied)
    lines.push(`  запрещено  ${d.source} -> ${d.address}:${d.port}  ${d.result}  (${d.description})`);
  return lines.join('\n');
}
