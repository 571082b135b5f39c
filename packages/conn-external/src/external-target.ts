import type { Endpoint, EndpointContext, OutboundMessage, ReplyObject, TypeDefinition } from '@sf/core/plugin';

/** A function an `external_target` wraps: gets the validated args, returns the return args (or nothing). */
export type ExternalTarget = (args: Readonly<Record<string, unknown>>) => unknown;

/**
 * The `external_target` type (alias `external_request`): `to_send` calls the function given as
 * the `target` creation argument, so a third-party SDK call is validated like any other output.
 */
export const externalTarget: TypeDefinition = {
  side: 'out',
  kind: 'connection',
  peers: [],
  addresses: [],
  aliases: ['external_request'],
  replies: true,
  creationArguments: { required: { target: Function } },
  description: 'Calls a function (e.g. a third-party SDK method) with the validated args; its result is the reply.',
  create: (context) => new ExternalEndpoint(context),
};

class ExternalEndpoint implements Endpoint {
  readonly #target: ExternalTarget;

  constructor(context: EndpointContext) {
    this.#target = context.creation.target as ExternalTarget;
  }

  async open(): Promise<void> {}

  async close(): Promise<void> {}

  async send(message: OutboundMessage): Promise<ReplyObject> {
    const result = await this.#target(message.args);
    return { return_args: (result ?? {}) as Record<string, unknown> };
  }
}
