// The regulations Prichal automates, as users cite them (listed in docs/README.md). Every
// user-facing reference to a clause goes through `cite`, so the documents, messages and reports all name a regulation by its title, never by a file name.

export const REGULATIONS = {
  sed: {
    cite: 'Регламент подключения к СЭД',
    title: 'Регламент подключения к «Системе электронного документооборота и делопроизводства» (ГКУ ТО «ЦИТТО», 2022)',
  },
  workstation: {
    cite: 'Требования к АРМ пользователя СЭД',
    title: 'СЭД Тюменской области: порядок настройки рабочего места (Directum RX, «Бюрократ»)',
  },
  edo: {
    cite: 'Организация ЮЗЭДО',
    title: 'Организация юридически значимого электронного документооборота (статистика подключения ОМСУ)',
  },
  portal: {
    cite: 'Регламент ПУ ТО',
    title: 'Регламент функционирования информационной системы «Портал услуг Тюменской области», версия 1.0, 2018',
  },
} as const;

export type RegulationId = keyof typeof REGULATIONS;

/**
 * «Регламент ПУ ТО, п. 4.6»; an appendix as «Регламент ПУ ТО, Приложение 9»; a bare title for
 * the regulation as a whole.
 */
export function cite(regulation: RegulationId, clause?: string): string {
  const name = REGULATIONS[regulation].cite;
  if (!clause) return name;
  return /^(Приложение|прил|сноска|форма)/i.test(clause) ? `${name}, ${clause}` : `${name}, п. ${clause}`;
}
