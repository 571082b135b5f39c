import { describeConformance } from '@sf/testkit/vitest';
import { externalPlugin } from '../src/plugin.js';

// external_target has no peer type and no addresses: the suite checks its lifecycle alone.
describeConformance(externalPlugin, { creation: { external_target: { target: (args: object) => args } } });
