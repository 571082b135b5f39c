import { describeConformance } from '@sf/testkit/vitest';
import { ndjsonTcpPlugin } from '../src/plugin.js';

// The plugin contract, on real TCP sockets: ndjson_out reconnects on the next send after the
// listener restarted.
describeConformance(ndjsonTcpPlugin, { pairs: [{ out: 'ndjson_out', in: 'ndjson_in', reconnects: true }] });
