// Small helpers of the dashboard: labels, percentages, and the two calls the kit has no
// function for (the caller's workspaces and switching between them).
import { KandidError, useSession, type KandidClient } from "../src/react/index.js";
import type { Problem } from "../src/index.js";

export const LEAD_STATUSES = ["pending", "contacted", "responded", "converted", "do_not_contact"] as const;
export const CONNECTION_STATUSES = ["not_connected", "pending", "connected"] as const;
export const STEP_KINDS = ["connection_request", "message", "follow_up", "visit_profile", "wait"] as const;
export const CAMPAIGN_STATUSES = ["draft", "active", "paused", "completed"] as const;
type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
/** The contract's allowed status changes (anything else is 409 `invalid_transition`). */
export const NEXT: Record<CampaignStatus, CampaignStatus[]> = { draft: ["active"], active: ["paused", "completed"], paused: ["active", "completed"], completed: [] };
/** The button that makes each change. */
export const ACTION: Record<CampaignStatus, string> = { draft: "Back to draft", active: "Start", paused: "Pause", completed: "Complete" };

export const pct = (x: number) => `${Math.round(x * 100)}%`;
export const label = (s: string) => s.replaceAll("_", " ");

/** A JSON call with the client's token; a refusal throws `KandidError` as the kit's own calls do. */
export async function request<T>(client: KandidClient, method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (client.token) headers.authorization = `Bearer ${client.token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new KandidError(0, undefined, { detail: "the server cannot be reached" });
  }
  const json = await res.json().catch(() => undefined);
  if (!res.ok) throw new KandidError(res.status, json as Problem | undefined);
  return json as T;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields of a form's `draft` the person changed from `original`, what they started from. */
export function edited<T extends object>(draft: T, original: T): Partial<T> {
  return Object.fromEntries(Object.entries(draft).filter(([k, v]) => !same(v, original[k as keyof T]))) as Partial<T>;
}

/** After a conflict: `theirs` (the entity as it now is) with the person's edits on top. */
export function rebase<T extends object>(draft: T, original: T, theirs: T): T {
  return { ...theirs, ...edited(draft, original) };
}

/** What the signed-in person's role lets them do, so the page offers only that. */
export function useRights(): { write: boolean; admin: boolean } {
  const role = useSession().user?.role;
  return { write: role !== undefined && role !== "viewer", admin: role === "owner" || role === "admin" };
}
