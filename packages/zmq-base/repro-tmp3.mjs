import { Publisher, Subscriber } from 'zeromq';
const [subIvl, ttl, secs] = process.argv.slice(2).map(Number);
const pub = new Publisher({ heartbeatInterval: 200, heartbeatTimeout: 600, heartbeatTimeToLive: ttl, sendHighWaterMark: 0 });
await pub.bind('tcp://127.0.0.1:*');
const sub = new Subscriber({ heartbeatInterval: subIvl, heartbeatTimeout: subIvl * 3 });
sub.subscribe();
sub.connect(pub.lastEndpoint);
await new Promise((r) => setTimeout(r, 300));
for (let i = 0; i < 20000; i++) await pub.send('x'.repeat(1000));
let n = 0;
setTimeout(() => { console.log('received', n, 'ok'); process.exit(0); }, secs * 1000);
for await (const _ of sub) { n++; await new Promise((r) => setTimeout(r, 20)); }
