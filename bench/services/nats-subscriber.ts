import { onNats } from '@sf/conn-nats';
import subscriber from './bench-subscriber.js';

/** bench-subscriber.ts on NATS (`nats_subscriber`), its handler unchanged. */
export default onNats(subscriber);
