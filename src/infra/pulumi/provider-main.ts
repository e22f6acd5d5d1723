// Entry point of the provider plugin: the engine starts `pulumi-resource-prichal` (bin/) for
// resources of type prichal:index:*, and this serves the provider over gRPC.
import { main } from '@pulumi/pulumi/provider/index.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../project.js';
import { prichalProvider } from './provider.js';

const { version } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
await main(prichalProvider(version), process.argv.slice(2));
