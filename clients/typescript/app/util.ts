// Small helpers of the dashboard: labels, percentages, form edits and rebases, and what the
// person's role allows.
import { useSession } from "../src/react/index.js";

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
