/** The telemetry contract: the single source of truth for server, simulators and dashboard. */
export * from './topics.js';
export * from './payloads.js';
export * from './metrics.js';
export * from './reasons.js';
export * from './readings.js';
export * from './validate.js';
export * from './live-messages.js';
