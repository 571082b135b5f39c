import { onNats } from '@sf/conn-nats';
import replyer from './bench-replyer.js';

/** bench-replyer.ts on NATS (`nats_replyer`), its handler unchanged. */
export default onNats(replyer);
