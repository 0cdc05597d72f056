// Generated from kandid_domain::socket by `cargo run -q -- asyncapi --typescript > clients/typescript/src/codes.ts`; do not edit.

/** `error.code` of a refused request (`{ok: false, error: {code, message}}`). */
export type AckErrorCode = "bad_request" | "invalid_room" | "not_found" | "too_many_rooms" | "rate_limited" | "unknown_event" | "unavailable" | "unauthorized" | "internal";

/** `connect_error` message of a refused handshake. */
export type ConnectErrorCode = "unauthorized" | "too_many_sockets" | "not_found" | "bad_request" | "too_many_rooms" | "unavailable";
