// The one short digest Prichal labels things with (gateway configuration, container
// specifications): the first 16 hex characters of SHA-256 — enough to tell versions apart,
// short enough for a Docker label.
import { createHash } from 'node:crypto';

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
