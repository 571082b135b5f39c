/**
 * What `EndpointContext.receive` returns for a message it handled synchronously that gets no
 * reply: one promise, already settled with `undefined`, shared by every such call. A transport
 * that hands on one message at a time may go on to the next at once when it gets this one,
 * without waiting a turn of the event loop.
 */
export const HANDLED: Promise<undefined> = Promise.resolve(undefined);
