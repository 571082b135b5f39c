import { encodeRequest, decodeRequest } from '@sf/core';
import { OrderedMap } from 'immutable';
const N = Number(process.argv[2]); const KS = Number(process.argv[3]); const mode = process.argv[4];
const key = (i) => i.toString(36);
let held = mode === 'map' ? OrderedMap().withMutations((m) => { for (let i = 0; i < N; i++) m.set(key(i), i); }) : null;
const strs = mode === 'strings' ? Array.from({ length: N }, (_, i) => key(i) + '') : null;
const msgs = []; for (let i = 0; i < 100000; i++) msgs.push(encodeRequest({ args: { state: { [key(i % KS)]: 1e9 + i }, current_num: i + 1 }, workflow_id: null }));
for (let r = 0; r < 3; r++) { const c = process.cpuUsage(); for (const m of msgs) decodeRequest(m); const d = process.cpuUsage(c); console.log(N, KS, mode, ((d.user + d.system) / 1000).toFixed(0), 'ms'); }
