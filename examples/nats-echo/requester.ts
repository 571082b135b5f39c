import echo from '../echo/requester.js';
import { onNats } from '@sf/conn-nats';

/** The echo example's main-mode requester on NATS (`nats_requester`). */
export default onNats(echo);
