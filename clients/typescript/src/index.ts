// kandid's frontend kit: typed REST calls, typed Socket.IO events and live React Query sync.
export * from "./rest.js";
export * from "./events.js";
export * from "./live.js";
export * from "./webhooks.js";
export * from "./client.js";
export type { components, operations, paths } from "./schema.js";
