export { type MetricsServer, serveMetrics } from './metrics-server.js';
export { registerServiceMetrics } from './collectors.js';
