// One table maps named errors to exit codes: usage 2, refusals and findings 1, failures of live
// systems 4 — and anything unnamed is a failure, never "success" or "findings".
import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeOf, UsageError } from '../src/cli/errors.js';
import { BusError, PromotionRefusedError } from '../src/infra/bus.js';
import { FirewallApplyError } from '../src/infra/firewall.js';
import { EngineError } from '../src/infra/pulumi/engine.js';
import { SecretMissingError } from '../src/infra/secrets.js';
import { SshError } from '../src/infra/ssh.js';
import { InventoryNotFoundError } from '../src/requirements/index.js';

describe('exitCodeOf', () => {
  it('maps each named error to its exit code', () => {
    expect(exitCodeOf(new UsageError({ en: 'x', ru: 'x' }))).toBe(EXIT.usage);
    expect(exitCodeOf(new InventoryNotFoundError({ en: 'x', ru: 'x' }))).toBe(EXIT.usage);
    expect(exitCodeOf(new SecretMissingError('edge1'))).toBe(EXIT.usage);
    expect(exitCodeOf(new PromotionRefusedError({ en: 'x', ru: 'x' }))).toBe(EXIT.findings);
    expect(exitCodeOf(new SshError('connect', 'netops@127.0.0.1:2201', 'refused'))).toBe(EXIT.failure);
    expect(exitCodeOf(new FirewallApplyError('edge-1', 'x', [], true))).toBe(EXIT.failure);
    expect(exitCodeOf(new BusError('GET', '/users', 500, 'x'))).toBe(EXIT.failure);
    expect(exitCodeOf(new EngineError('x'))).toBe(EXIT.failure);
  });

  it('treats an unnamed error as a failure of its own code', () => {
    expect(exitCodeOf(new Error('boom'))).toBe(4);
    expect(new Set(Object.values(EXIT)).size).toBe(Object.keys(EXIT).length);
  });
});
