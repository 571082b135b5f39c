import { onNats } from '@sf/conn-nats';
import marketData from '../market-data/market-data.js';

/** The market-data example's writer on NATS: `nats_kv_out` states, a `nats_requester` (no subscriber join wait to give). */
export default onNats(marketData, ['wait_after_creation_s']);
