// The bus objects a registration consists of, by name: what the plan says must exist in a
// contour's vhost. Naming lives here, once; the bus adapter creates these and drift and the
// engine's refresh compare against them.
export const EXCHANGE = 'prichal.smev';
export const USER_TAG = 'prichal';
export const queueName = (mnemonic: string) => `prichal.${mnemonic}.in`;

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface Permission {
  user: string;
  configure: string;
  write: string;
  read: string;
}

export function plannedPermission(mnemonic: string): Permission {
  const own = `^prichal\\.${escapeRegex(mnemonic)}\\..*$`;
  return { user: mnemonic, configure: own, write: `^prichal\\.(smev|${escapeRegex(mnemonic)}\\..*)$`, read: own };
}
