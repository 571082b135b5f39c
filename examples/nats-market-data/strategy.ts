import { onNats } from '@sf/conn-nats';
import strategy from '../market-data/strategy.js';

/** The market-data example's strategy on NATS: `nats_kv_in` states, a `nats_replyer`; same on_update and quote handlers. */
export default onNats(strategy);
