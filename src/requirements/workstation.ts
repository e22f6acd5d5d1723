// WS-1 (Требования к АРМ пользователя СЭД): the workstation baseline — CryptoPro CSP at least the
// policy's minimum (5.0 recommended), a browser with GOST TLS, the root certificates and the CRL —
// decided and worded here for audit.
import type { Participant, Words } from '../inventory/index.js';
import { cite } from './regulations.js';
import type { InventoryCheck } from './requirement-check.js';

/** GOST-TLS browsers accepted when the operator lists none (Требования к АРМ пользователя СЭД recommends Chromium-GOST). */
export const DEFAULT_GOST_BROWSERS = ['chromium-gost', 'yandex'] as const;

/** What a workstation baseline lacks beyond the CryptoPro version; errors and warnings. */
export function workstationGaps(
  ws: Participant['workstations'],
  browsers: readonly string[],
): Array<{ field: keyof Participant['workstations']; severity: 'error' | 'warning'; message: Words; fix: Words }> {
  const gaps: ReturnType<typeof workstationGaps> = [];
  const accepted = browsers.join(', ');
  const browserFix: Words = {
    en: `install a browser with GOST TLS (${accepted}; ${cite('workstation')}) and record it as workstations.browser`,
    ru: `установите браузер с поддержкой ГОСТ TLS (${accepted}; ${cite('workstation')}) и укажите его в workstations.browser`,
  };
  if (!ws.browser)
    gaps.push({
      field: 'browser',
      severity: 'error',
      message: {
        en: `no browser with GOST TLS declared (accepted: ${accepted})`,
        ru: `не указан браузер с поддержкой ГОСТ TLS (допустимы: ${accepted})`,
      },
      fix: browserFix,
    });
  else if (!browsers.some((b) => b.toLowerCase() === ws.browser!.toLowerCase()))
    gaps.push({
      field: 'browser',
      severity: 'error',
      message: {
        en: `browser ${ws.browser} is not one with GOST TLS the operator accepts (${accepted})`,
        ru: `браузер ${ws.browser} не входит в принимаемые оператором браузеры с ГОСТ TLS (${accepted})`,
      },
      fix: browserFix,
    });
  if (ws.rootCertificates !== true)
    gaps.push({
      field: 'rootCertificates',
      severity: 'error',
      message: {
        en: "the root certificates (the CA's and the Russian roots for sites) are not recorded as installed",
        ru: 'не отмечена установка корневых сертификатов (удостоверяющего центра и российских корневых для сайтов)',
      },
      fix: {
        en: `install the root certificates (${cite('workstation')}), then record workstations.rootCertificates: true`,
        ru: `установите корневые сертификаты (${cite('workstation')}) и укажите workstations.rootCertificates: true`,
      },
    });
  // The revocation list is installed "при ошибке «Подключение не защищено»": a warning, not a blocker.
  if (ws.crl !== true)
    gaps.push({
      field: 'crl',
      severity: 'warning',
      message: {
        en: 'the certificate revocation list (CRL) is not recorded as installed',
        ru: 'не отмечена установка списка отозванных сертификатов (СОС)',
      },
      fix: {
        en: `install the certificate revocation list (${cite('workstation')}), then record workstations.crl: true`,
        ru: `установите список отозванных сертификатов (${cite('workstation')}) и укажите workstations.crl: true`,
      },
    });
  return gaps;
}

/** Dotted version comparison (CryptoPro 4.0.9963 < 5.0). */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** WS-1 in audit; the policy's minimum and browsers are operator.yaml's, so without it nothing is checked. */
export const checkWorkstation: InventoryCheck = function* (p, { operator }) {
  if (!operator) return;
  const version = p.workstations.cryptoPro;
  const path = ['workstations', 'cryptoPro'];
  if (compareVersions(version, operator.policy.minCryptoPro) < 0)
    yield {
      path,
      message: `CryptoPro CSP ${version} is below ${operator.policy.minCryptoPro}`,
      evidence: `workstations.cryptoPro: ${version}`,
      fix: `update CryptoPro CSP (5.0 recommended: ${cite('workstation')})`,
      ru: {
        message: `КриптоПро CSP ${version} ниже ${operator.policy.minCryptoPro}`,
        fix: `обновите КриптоПро CSP (рекомендуется 5.0: ${cite('workstation')})`,
      },
    };
  else if (compareVersions(version, '5.0') < 0)
    yield {
      path,
      severity: 'warning',
      message: `CryptoPro CSP ${version} is below the recommended 5.0`,
      evidence: `workstations.cryptoPro: ${version}`,
      fix: 'plan the update to CryptoPro CSP 5.0',
      ru: {
        message: `КриптоПро CSP ${version} ниже рекомендуемой версии 5.0`,
        fix: 'запланируйте обновление до КриптоПро CSP 5.0',
      },
    };
  for (const gap of workstationGaps(p.workstations, operator.policy.gostBrowsers ?? DEFAULT_GOST_BROWSERS))
    yield {
      path: p.workstations[gap.field] !== undefined ? ['workstations', gap.field] : ['workstations'],
      severity: gap.severity,
      message: gap.message.en,
      evidence: `workstations: ${JSON.stringify(p.workstations)}`,
      fix: gap.fix.en,
      ru: { message: gap.message.ru, fix: gap.fix.ru },
    };
};
