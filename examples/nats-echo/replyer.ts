import echo from '../echo/replyer.js';
import { onNats } from '@sf/conn-nats';

/** The echo example's replyer on NATS (`nats_replyer`): start it several times and the replicas split the requests. */
export default onNats(echo);
