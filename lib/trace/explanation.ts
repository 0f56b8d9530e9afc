import type { AccessReason, MeterPolicy } from "@/lib/access/decide-access";
import type { MeterState } from "@/lib/access/meter";
import type { FamilyAccess } from "@/lib/access/family";
import type { Licence } from "@/lib/access/licence";
import type { Entitlement, Reader } from "@/lib/access/reader";
import type { Lapse } from "./lapse";

/** What a decision's explanation needs: the decision, and the facts it was made on. */
export interface ExplainedDecision {
  reason: AccessReason;
  level: "full" | "preview";
  intent: "read" | "recheck" | "prefetch";
  readerKind: Reader["kind"];
  article: { id: number; access: string };
  policy: MeterPolicy;
  /** The window in force at the decision (a fresh one when the stored one had ended). */
  window: MeterState;
  entitlement: Entitlement | null;
  /** The organisation's licence offered to the decision (a running seat, else the address's), if any. */
  licence: Licence | null;
  /** The payer's family subscription the reader holds a place in, when it reads now. */
  family?: FamilyAccess | null;
  /** The reader holds a place in a family subscription that no longer reads. */
  familyEnded?: boolean;
  lapse: Lapse | null;
  /** The experiments' variants the reader is in: the policy above is the one they set. */
  variants: Array<{ experimentName: string; variantName: string; control: boolean }>;
  /** The segment rule the request matched (first match wins); null or absent: none, the site's settings. */
  segment?: { id: number; name: string } | null;
  now: Date;
}

const DAY_MS = 86_400_000;

export function meterFacts(d: ExplainedDecision): { limit: number; used: number; start: Date; renews: Date } {
  const limit = d.readerKind === "user" ? d.policy.registeredLimit : d.policy.anonymousLimit;
  const start = new Date(d.window.windowStart * 1000);
  return { limit, used: d.window.articleIds.length, start, renews: new Date(start.getTime() + d.policy.windowDays * DAY_MS) };
}

const utc = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const at = (d: Date) => `${utc.format(d)} UTC`;

/** The rule that fired, in one sentence for support staff, with the facts that made it fire. */
export function supportExplanation(d: ExplainedDecision): string {
  const m = meterFacts(d);
  const window = `${m.used} of ${m.limit} metered articles used in the window ${at(m.start)} – ${at(m.renews)}`;
  const sentences: Record<AccessReason, () => string> = {
    free: () => "The article is free: everyone reads it in full.",
    "verified-crawler": () => "A crawler whose address reverse-then-forward DNS proved to be Google's (VERIFIED_CRAWLERS=google): reads in full, never counted.",
    entitled: () =>
      `Entitled by ${d.entitlement?.source === "grant" ? "a grant" : "a subscription"} ${d.entitlement?.until ? `until ${at(d.entitlement.until)}` : "with no set end"}: reads everything in full.`,
    "gift-subscription": () =>
      `Entitled by a redeemed gift subscription's grant ${d.entitlement?.until ? `until ${at(d.entitlement.until)}` : "with no set end"} (backed by the buyer's paid checkout; it does not renew): reads everything in full.`,
    family: () =>
      `Reads on a family plan: a place in the payer's subscription ${d.family?.stripeSubscriptionId ?? "?"}, which reads for its payer ${d.family?.until ? `until ${at(d.family.until)}` : "with no set end"}: full, and the meter is not touched.`,
    licensed: () =>
      `Licensed by ${d.licence?.organisationName ?? "an organisation"} (organisation #${d.licence?.organisationId ?? "?"}), ${d.licence?.via === "address" ? "reading from one of its IP ranges" : "holding one of its seats"}, term until ${d.licence ? at(d.licence.termEnd) : "?"}: full, and the meter is not touched.`,
    gift: () => "A gift link for this article, live and not revoked, let this browser in: full, and the meter is not touched.",
    "subscribers-only": () => `The article is for subscribers and the reader has no entitlement now${d.lapse ? ` (${lapseText(d.lapse)})` : ""}${d.familyEnded ? " (their family subscription ended)" : ""}: preview.`,
    "unknown-access": () => `The article's access level "${d.article.access}" is unknown: preview (blocks when unsure).`,
    prefetch: () => "A prefetch or router request: it never counts and never gets a metered article in full: preview.",
    "already-counted": () => `Article #${d.article.id} was already counted (${window}): full, and it costs nothing.`,
    "meter-exhausted": () => `${window}: preview${d.lapse ? `; ${lapseText(d.lapse)}` : ""}${d.familyEnded ? "; their family subscription ended" : ""}.`,
    "not-countable": () => `Intent "${d.intent}" never counts (the page handler's recheck, for a request the gate did not answer), and the article is not counted yet: preview.`,
    counted: () => `${window}: this read counts as article ${m.used + 1} of ${m.limit}: full. (The trace itself spends nothing.)`,
  };
  return sentences[d.reason]();
}

function lapseText(lapse: Lapse): string {
  const on = lapse.on ? at(lapse.on) : "an unknown date";
  switch (lapse.kind) {
    case "subscription-ended":
      return `subscription ended ${on}`;
    case "paused":
      return `subscription paused ${on}, ${lapse.until ? `until ${at(lapse.until)}` : "until the reader resumes and pays"}`;
    case "payment-failed":
      return `payment failed ${on}, past the grace period`;
    case "first-payment-incomplete":
      return "the subscription's first payment never completed";
    case "grant-ended":
      return `grant ended ${on}`;
  }
}
