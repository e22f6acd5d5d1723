// The Pulumi program under the engine's mocks: every resource the program registers is captured
// (type, name, inputs) and comes back with its inputs as its state.
import * as pulumi from '@pulumi/pulumi';

export interface Captured {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** Installs the mocks; the returned list fills as the program registers resources. */
export async function captureResources(): Promise<Captured[]> {
  const captured: Captured[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        captured.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    'prichal',
    'test',
    false,
  );
  return captured;
}
