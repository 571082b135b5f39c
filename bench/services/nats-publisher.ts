import { onNats } from '@sf/conn-nats';
import publisher from './bench-publisher.js';

/** bench-publisher.ts on NATS (`nats_publisher`), its main unchanged; no join wait (a ready NATS subscriber is subscribed). */
const natsPublisher: typeof publisher = { ...onNats(publisher), setup_connections: undefined };
export default natsPublisher;
