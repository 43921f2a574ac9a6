/** Entity resolution and the entity graph: what the rest of the engine imports. */
export * from './ids.js';
export { normalizeCompanyName } from './names.js';
export { cashtagsIn, identifiersOf, NO_IDENTIFIERS, type OwnerRef, type SignalIdentifiers } from './identifiers.js';
export * from './reference.js';
export * from './resolver.js';
export * from './ports.js';
export { graphDeltaOf, type ObservedBy } from './graph.js';
export * from './insider-clusters.js';
export * from './co-trading.js';
export * from './signals.js';
export { EntityStage } from './entity-stage.js';
export { ActivityWindow, type ActivityWindowOptions } from './activity-window.js';
