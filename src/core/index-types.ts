/** Re-exports of the shared data types, so ports and adapters import from one place. */
export type * from './api.js';
export type * from './session/manifest-types.js';
