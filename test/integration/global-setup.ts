// Starts the real lab for the sample inventory before any integration test (idempotent: a
// running lab is kept), with the edges' channel applied. Fails loudly when it cannot: no
// integration test runs without it.
import { labUp } from '../../lab/lab.js';
import { applyChannels, loadSample, removeUnplannedRegistrations } from './lab.js';

export default async function setup(): Promise<void> {
  const { plan, operator } = await loadSample();
  const started = performance.now();
  await labUp(plan, operator, { log: (words) => process.stderr.write(`[lab] ${words.en}\n`) });
  // The channel as `up` sets it (the lab leaves the edges' links and routes to Prichal): the tests
  // that probe or read drift start from a provisioned channel.
  await applyChannels(plan);
  const removed = await removeUnplannedRegistrations(plan, operator);
  if (removed.length) process.stderr.write(`[lab] removed bus registrations no plan has: ${removed.join(', ')}\n`);
  process.stderr.write(`[lab] ready in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}
