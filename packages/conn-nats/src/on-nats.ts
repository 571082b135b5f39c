/** The NATS type that stands for each ZeroMQ type. */
const NATS_TYPES: Record<string, string> = {
  replyer: 'nats_replyer',
  requester: 'nats_requester',
  publisher: 'nats_publisher',
  subscriber: 'nats_subscriber',
  delta_update_out: 'nats_kv_out',
  delta_update_in: 'nats_kv_in',
};

/**
 * The same service on NATS: a copy in which every `connection_type` / `state_type` is replaced by
 * its NATS counterpart, and nothing else changes (the handlers are the very same functions). For
 * examples and benchmarks that run one service on both. `without` names creation arguments that
 * only the ZeroMQ types take (`wait_after_creation_s`…), left out of `optional_creation_arguments`.
 */
export function onNats<S extends object>(service: S, without: readonly string[] = []): S {
  const models = service as Record<string, unknown>;
  const convert = (model: Record<string, unknown>, field: 'connection_type' | 'state_type') => {
    const optional = model.optional_creation_arguments as Record<string, unknown> | undefined;
    const kept = optional && Object.fromEntries(Object.entries(optional).filter(([name]) => !without.includes(name)));
    return { ...model, [field]: NATS_TYPES[model[field] as string] ?? model[field], ...(kept && { optional_creation_arguments: kept }) };
  };
  const swap = (group: unknown, field: 'connection_type' | 'state_type') =>
    Object.fromEntries(
      Object.entries((group ?? {}) as Record<string, Record<string, Record<string, unknown>>>).map(([side, byName]) => [
        side,
        Object.fromEntries(Object.entries(byName).map(([name, model]) => [name, convert(model, field)])),
      ]),
    );
  return {
    ...service,
    connection_models: swap(models.connection_models, 'connection_type'),
    state_models: swap(models.state_models, 'state_type'),
  } as S;
}
