/** The live-stream contract, shared with the server (types and constants only: no server code is bundled). */
export * from '../../../server/src/contract/live-messages.js';
export type { Domain } from '../../../server/src/contract/topics.js';
