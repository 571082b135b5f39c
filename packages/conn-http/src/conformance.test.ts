import { describeConformance } from '@sf/testkit/vitest';
import { httpPlugin } from './plugin.js';

// The plugin contract: http_replyer has no out type to pair with (its peer is any HTTP client), so
// the suite runs its checks of one type (open and close twice, addresses missing or malformed);
// the round trips are in http-replyer.test.ts and test/e2e (real requests against `sf run`).
describeConformance(httpPlugin);
