import type { AccessReason } from "@/lib/access/decide-access";

/**
 * The rules of decideAccess in the order it tries them, one per reason, in words for support.
 * The trace shows the rules before the one that fired as "did not apply" and the rest as "not
 * reached"; the reason itself always comes from decideAccess, never from this list.
 */
export const DECISION_RULES: ReadonlyArray<{ reason: AccessReason; rule: string; level: "full" | "preview" }> = [
  { reason: "free", rule: "The article is free", level: "full" },
  { reason: "verified-crawler", rule: "The request comes from a crawler DNS verified (VERIFIED_CRAWLERS)", level: "full" },
  { reason: "entitled", rule: "The reader is entitled now (a subscription or a grant)", level: "full" },
  { reason: "gift-subscription", rule: "The reader is entitled now by a redeemed gift subscription", level: "full" },
  { reason: "family", rule: "The reader holds a place in a family subscription that reads for its payer now", level: "full" },
  { reason: "licensed", rule: "The reader holds a seat, or reads from an IP range, of an organisation whose licence runs now", level: "full" },
  { reason: "subscribers-only", rule: "The article is for subscribers only", level: "preview" },
  { reason: "unknown-access", rule: "The article's access level is not one we know (blocks when unsure)", level: "preview" },
  { reason: "prefetch", rule: "The request is a prefetch or router request (never counts)", level: "preview" },
  { reason: "already-counted", rule: "The article was already counted in this window", level: "full" },
  { reason: "meter-exhausted", rule: "No metered articles are left in this window", level: "preview" },
  { reason: "not-countable", rule: "The request may not count (the page handler's recheck)", level: "preview" },
  { reason: "counted", rule: "The read counts: one metered article is spent", level: "full" },
];

export type RuleOutcome = "did not apply" | "fired" | "not reached";

/** Each rule with what it did for a decision that gave `reason`. */
export function ruleOutcomes(reason: AccessReason): Array<{ reason: AccessReason; rule: string; outcome: RuleOutcome }> {
  const fired = DECISION_RULES.findIndex((r) => r.reason === reason);
  return DECISION_RULES.map((r, i) => ({ reason: r.reason, rule: r.rule, outcome: i < fired ? "did not apply" : i === fired ? "fired" : "not reached" }));
}
