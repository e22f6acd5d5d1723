// prichal bus as people read it: what the contour's virtual host holds.
import type { Lang } from '../report/index.js';
import type { BusResult } from './bus.js';

export const busText = ({ state }: BusResult, lang: Lang): string =>
  lang === 'ru'
    ? `${state.vhost}: пользователей ${state.users.length}, прав ${state.permissions.length}, очередей ${state.queues.length}, привязок ${state.bindings.length}`
    : `${state.vhost}: ${state.users.length} users, ${state.permissions.length} permissions, ${state.queues.length} queues, ${state.bindings.length} bindings`;
