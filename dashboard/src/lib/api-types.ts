/**
 * The REST contract's types, from the server's route schemas (server/src/contract/api/). Types only:
 * `export type` lets nothing of TypeBox into the bundle, whatever a view imports from here.
 */
export type * from '../../../server/src/contract/api/index.js';
