// Entry point of the provider plugin: the engine starts `pulumi-resource-prichal` (bin/) for
// resources of type prichal:index:*, and this serves the provider over gRPC.
import { main } from '@pulumi/pulumi/provider/index.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../project.js';
import { prichalProvider } from './provider.js';

// The engine that started this plugin may die without stopping it (a killed `prichal up`): the
// plugin would live on, orphaned. It exits when its parent is gone.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 1000).unref();

const { version } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
await main(prichalProvider(version), process.argv.slice(2));
