import type { EndpointContext } from '../plugin/contract.js';
import { type ArgumentModelPair, partialModel } from '../types/argument-model.js';
import { compileArguments } from '../types/compile-arguments.js';

/**
 * The state check the runner gives a state model's endpoint (its `context.check`), compiled from
 * the model's `required_arguments` / `optional_arguments`: a whole value, or with `partial` a delta
 * (every key optional, `null` deletes). Pass it as `testContext({ check })`.
 */
export function stateCheck(models: ArgumentModelPair, modelPath = 'state_models.out.test'): EndpointContext['check'] {
  const where = { service: 'test-service.ts', model: modelPath, root: 'state' };
  const whole = compileArguments(models, where);
  const delta = compileArguments({ optional: partialModel(models) }, where);
  return (value, partial) => (partial === true ? delta : whole).check(value);
}
