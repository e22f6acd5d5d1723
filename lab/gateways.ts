// The gateways of a contour, started in the lab. With the stack setting gateways: external,
// Prichal specifies the gateways and another party runs them; in the lab, that party is this:
// the specification the Pulumi program emits, the image and network operator.yaml declares,
// the Docker CLI, and the lab label so that `prichal-lab status` lists them.
import type { ContourName } from '../src/inventory/index.js';
import { contourGatewaySpecs, ensureGateways } from '../src/infra/index.js';
import { gatewaysOf, liveContext } from '../src/workflows/index.js';
import { LAB_LABEL } from './image.js';

export async function startGateways(options: { inventory: string; contour: ContourName; log: (line: string) => void }) {
  const { plan, operator } = await liveContext(options.inventory);
  const declared = gatewaysOf(operator);
  const specs = contourGatewaySpecs(plan, options.contour, {
    image: declared.image,
    network: declared.network[options.contour],
  });
  return ensureGateways(specs, options.contour, { [LAB_LABEL]: 'true' }, options.log);
}
