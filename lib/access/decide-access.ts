import type { ArticleAccessLevel } from "@/db/schema";
import { licenceRuns, type Licence } from "./licence";
import { currentWindow, type MeterState } from "./meter";
import type { Reader } from "./reader";

export interface MeterPolicy {
  anonymousLimit: number;
  registeredLimit: number;
  windowDays: number;
}

/**
 * An experiment variant the reader is in, as far as the decision cares: the meter limits it sets
 * (null: the policy's). With several, the first that sets a limit wins.
 */
export interface VariantMeter {
  experimentId: number;
  variantId: number;
  anonymousLimit: number | null;
  registeredLimit: number | null;
}

/** The segment rule the request matched (lib/segments), as far as the decision cares: the limits it sets (null: the policy's). */
export interface SegmentMeter {
  segmentId: number;
  anonymousLimit: number | null;
  registeredLimit: number | null;
}

/** The most generous limits this browser was shown earlier in the same visit (./visit.ts): the limits never drop below them. */
export interface VisitFloor {
  anonymousLimit: number;
  registeredLimit: number;
}

/**
 * The policy in force for a reader in this segment and these variants: the rule's limits over the
 * site's, a variant's over the rule's, and never below the visit's floor. Only the limits change,
 * never the window or the meter itself.
 */
export function policyWith(policy: MeterPolicy, variants: readonly VariantMeter[] = [], segment: SegmentMeter | null = null, floor: VisitFloor | null = null): MeterPolicy {
  const anonymous = variants.find((v) => v.anonymousLimit !== null)?.anonymousLimit ?? segment?.anonymousLimit;
  const registered = variants.find((v) => v.registeredLimit !== null)?.registeredLimit ?? segment?.registeredLimit;
  if (anonymous == null && registered == null && floor === null) return policy;
  return {
    ...policy,
    anonymousLimit: Math.max(anonymous ?? policy.anonymousLimit, floor?.anonymousLimit ?? 0),
    registeredLimit: Math.max(registered ?? policy.registeredLimit, floor?.registeredLimit ?? 0),
  };
}

export type AccessReason =
  | "free"
  | "verified-crawler"
  | "entitled"
  | "family"
  | "licensed"
  | "gift-subscription"
  | "gift"
  | "already-counted"
  | "counted"
  | "prefetch"
  | "not-countable"
  | "meter-exhausted"
  | "subscribers-only"
  | "unknown-access";

export interface AccessDecision {
  level: "full" | "preview";
  reason: AccessReason;
  /** The meter after this request: it differs from the input only when an article was counted or a window began. */
  meterAfter: MeterState;
  /** Metered articles this reader may still open in this window. */
  remaining: number;
}

/** A gift link or cookie as the database confirmed it for this browser (lib/gifts). */
export interface VerifiedGift {
  articleId: number;
  /** Null for a publisher link, which lasts until rotated or revoked. */
  expiresAt: Date | null;
  revoked: boolean;
  /** Whether this browser is one of those the link's browser limit let in. */
  admitted: boolean;
}

export interface AccessInput {
  reader: Reader;
  article: { id: number; access: ArticleAccessLevel };
  /** The verified meter, or null for none. */
  meter: MeterState | null;
  now: Date;
  policy: MeterPolicy;
  /**
   * `read`: the proxy's decision, which may spend a meter credit. `recheck`: the route handler's
   * decision, which never counts, so a request that skipped the proxy unlocks nothing new.
   * `prefetch`: never counts and never gets a metered article in full.
   */
  intent: RequestIntent | "prefetch";
  /** A verified gift, when the request carried one; it never touches the meter. */
  gift?: VerifiedGift | null;
  /** An organisation's licence the reader holds a seat in or reads from the range of (./licence.ts); it never touches the meter. */
  licence?: Licence | null;
  /** The experiment variants the reader is in (lib/experiments): they may change the meter's limits, never the count. */
  variants?: readonly VariantMeter[];
  /** The segment rule the request matched: it may change the meter's limits, never the count. */
  segment?: SegmentMeter | null;
  /** The visit's most generous limits so far: the limits never drop below them within a visit. */
  visitFloor?: VisitFloor | null;
}

/** What the request asks for: the proxy's `read` may spend a credit, the route handler's `recheck` never does. */
export type RequestIntent = "read" | "recheck";

/**
 * The one reading decision. Pure: no I/O, no clock but `now`. When in doubt it answers preview.
 */
export function decideAccess({ reader, article, meter, now, policy: base, intent, gift, licence, variants, segment, visitFloor }: AccessInput): AccessDecision {
  const policy = policyWith(base, variants, segment, visitFloor);
  const window = currentWindow(meter, now, policy.windowDays);
  const limit = reader.kind === "user" ? policy.registeredLimit : policy.anonymousLimit;
  const remaining = Math.max(0, limit - window.articleIds.length);
  const result = (level: AccessDecision["level"], reason: AccessReason, meterAfter = window): AccessDecision => ({
    level,
    reason,
    meterAfter,
    remaining: Math.max(0, limit - meterAfter.articleIds.length),
  });

  if (article.access === "free") return result("full", "free");
  if (reader.kind === "crawler") return result("full", "verified-crawler");
  if (reader.kind === "user" && isEntitled(reader.entitlement, now)) {
    return result("full", reader.entitlement?.source === "gift-subscription" ? "gift-subscription" : "entitled");
  }
  // A place in a payer's family subscription: it reads while that subscription reads for its payer.
  if (reader.kind === "user" && reader.family && isEntitled(reader.family, now)) return result("full", "family");
  if (licence && licenceRuns(licence, now)) return result("full", "licensed");
  if (article.access !== "metered" && article.access !== "subscribers") return result("preview", "unknown-access");
  if (gift && giftOpens(gift, article.id, now)) return result("full", "gift");
  if (article.access === "subscribers") return result("preview", "subscribers-only");

  if (intent === "prefetch") return result("preview", "prefetch");
  if (window.articleIds.includes(article.id)) return result("full", "already-counted");
  if (remaining <= 0) return result("preview", "meter-exhausted");
  if (intent !== "read") return result("preview", "not-countable");
  return result("full", "counted", {
    windowStart: window.windowStart,
    articleIds: [...window.articleIds, article.id],
  });
}

function isEntitled(entitlement: { until: Date | null } | null, now: Date): boolean {
  return entitlement !== null && (entitlement.until === null || entitlement.until.getTime() > now.getTime());
}

/** A gift opens this article for this browser: its own article, live, not revoked, and let in. */
export function giftOpens(gift: VerifiedGift, articleId: number, now: Date): boolean {
  return gift.articleId === articleId && !gift.revoked && gift.admitted && (gift.expiresAt === null || gift.expiresAt.getTime() > now.getTime());
}
