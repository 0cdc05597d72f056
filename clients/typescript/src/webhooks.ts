// Verifying kandid's webhook deliveries (Standard Webhooks): recompute the HMAC-SHA256 of
// "{webhook-id}.{webhook-timestamp}.{body}" with the secret's key, accept any of the
// space-separated `v1,` signatures (two during a secret rotation), and refuse timestamps
// too far from now (a captured request can't be replayed later). Web Crypto only, so it
// runs in Node ≥ 20, browsers' service workers and edge runtimes alike.
import type { LogEvent } from "./events.js";

/** Why a delivery was refused. */
export type WebhookErrorCode = "missing_header" | "bad_secret" | "bad_timestamp" | "stale_timestamp" | "bad_signature" | "bad_body";

export class WebhookVerificationError extends Error {
  readonly code: WebhookErrorCode;
  constructor(code: WebhookErrorCode, message: string) {
    super(message);
    this.name = "WebhookVerificationError";
    this.code = code;
  }
}

/** Request headers: a fetch `Headers`, or a plain object such as Node's `req.headers`. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /** Largest difference between `webhook-timestamp` and now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** Now, in Unix seconds (default: the clock). */
  now?: number;
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const value = record[name] ?? Object.entries(record).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : value;
}

/** Signatures looked at per delivery; the rest are ignored. */
const MAX_SIGNATURES = 8;

/** Equal lengths and bytes, in time that depends only on the length. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

function fromBase64(s: string): Uint8Array | undefined {
  try {
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a delivery and returns its event. `body` must be the raw request body, exactly
 * as received (a re-serialised JSON object would not match the signature). Throws a
 * `WebhookVerificationError` when a header is missing, the signature matches none of the
 * `v1,` signatures, or the timestamp is more than `toleranceSeconds` away from now.
 * Deliveries are at least once: dedupe by the `webhook-id` header.
 */
export async function verifyWebhook(secret: string, headers: WebhookHeaders, body: string | Uint8Array, options: VerifyOptions = {}): Promise<LogEvent> {
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError("missing_header", "webhook-id, webhook-timestamp and webhook-signature are required");
  }
  const key = fromBase64(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret);
  if (!key || key.length === 0) throw new WebhookVerificationError("bad_secret", "the secret is not whsec_ followed by base64");
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookVerificationError("bad_timestamp", "webhook-timestamp is not Unix seconds");
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) {
    throw new WebhookVerificationError("stale_timestamp", "webhook-timestamp is too far from now");
  }
  if (typeof body !== "string" && !(body instanceof Uint8Array)) {
    throw new WebhookVerificationError("bad_body", "pass the raw body (a string or bytes), not a parsed object");
  }
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const prefix = new TextEncoder().encode(`${id}.${timestamp}.`);
  const signed = new Uint8Array(prefix.length + bytes.length);
  signed.set(prefix);
  signed.set(bytes, prefix.length);
  // The HMAC is computed once, whatever the number of candidates (an unauthenticated sender
  // must not make the receiver hash the body hundreds of times), and each candidate of the
  // right length is compared with it in constant time. The server sends at most two.
  const candidates = signatures
    .split(" ")
    .filter((c) => c.startsWith("v1,"))
    .slice(0, MAX_SIGNATURES)
    .map((c) => fromBase64(c.slice(3)));
  const hmac = await crypto.subtle.importKey("raw", key as Uint8Array<ArrayBuffer>, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const expected = new Uint8Array(await crypto.subtle.sign("HMAC", hmac, signed));
  const valid = candidates.some((mac) => mac !== undefined && sameBytes(mac, expected));
  if (!valid) throw new WebhookVerificationError("bad_signature", "no webhook-signature matches");
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as LogEvent;
  } catch {
    throw new WebhookVerificationError("bad_body", "the body is not JSON");
  }
}
