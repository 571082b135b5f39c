import { onNats } from '@sf/conn-nats';
import requester from './bench-requester.js';

/** bench-requester.ts on NATS (`nats_requester`), its main unchanged. */
export default onNats(requester);
