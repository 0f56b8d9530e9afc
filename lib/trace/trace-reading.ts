import "server-only";
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { grants, newsletterSubscriptions, plans, subscriptions, userMeters, users, type Grant, type SubscriptionRow, type User } from "@/db/schema";
import { decideAccess, policyWith, type AccessDecision, type AccessInput } from "@/lib/access/decide-access";
import { getLiveExperiments } from "@/lib/experiments/live-experiments";
import { assignReader, settingsWith, type AssignedVariant } from "@/lib/experiments/live-variant";
import { currentWindow, type MeterState } from "@/lib/access/meter";
import { ANONYMOUS, type Entitlement, type Reader } from "@/lib/access/reader";
import { entitlementFor, grantEntitlement, subscriptionEntitlement } from "@/lib/access/entitlement";
import { addressLicence } from "@/lib/access/address-licences";
import { runningLicence, type Licence } from "@/lib/access/licence";
import { loadSeatLicences } from "@/lib/access/seat-licences";
import { familyAccess } from "@/lib/access/family";
import { loadFamilyShares } from "@/lib/access/family-shares";
import { findArticleMeta, isPublished, loadBlockWordCounts, type ArticleMeta } from "@/lib/content/articles";
import { previewBlockCount } from "@/lib/content/preview-cut";
import { env } from "@/lib/env";
import { getReadingSettings, type ReadingSettings } from "@/lib/settings";
import type { ExplainedDecision } from "./explanation";
import { latestLapse } from "./lapse";
import { getLiveSegments } from "@/lib/segments/live-segments";
import { frequencyOf, matchSegment, type SegmentFacts } from "@/lib/segments/rules";
import { segmentMeter, settingsForSegment } from "@/lib/segments/segment-settings";

/** What a request would carry that segment rules look at and a trace has no request for: the admin picks them (default: a direct visit on a desktop, no country). */
export type TraceRequestFacts = Pick<SegmentFacts, "referrer" | "device" | "country">;
const DIRECT_DESKTOP: TraceRequestFacts = { referrer: "direct", device: "desktop", country: null };

/** `address`: the client address the reader reads from, when known (the reader's own "why"; a trace id does not carry it). */
export type TraceReader = { kind: "anonymous"; meter: MeterState | null; readerId?: string | null; address?: string | null } | { kind: "user"; userId: string; address?: string | null } | { kind: "crawler" };

export interface AccessTrace {
  now: Date;
  intent: AccessInput["intent"];
  /** The settings as the reader's experiment variants change them. */
  settings: ReadingSettings;
  article: ArticleMeta & { published: boolean; blocks: number; leadIn: number; previewBlocks: number };
  account: Pick<User, "id" | "email" | "emailVerified" | "role" | "createdAt" | "experimentKey"> | null;
  subscriptions: Array<SubscriptionRow & { planName: string | null; entitles: Entitlement | null }>;
  grants: Array<Grant & { entitles: Entitlement | null }>;
  /** The seats the account holds and the licence of the address, if one was given, before their terms are judged. */
  licences: Licence[];
  /** The meter as stored (cookie or server row), before the window is applied. */
  storedMeter: MeterState | null;
  decision: AccessDecision;
  explained: ExplainedDecision;
}

/**
 * One reader's decision for one article now, gathered from the database and decided by the same
 * decideAccess as the gate. Nothing is written: no meter is spent or saved, no funnel event is
 * counted, no cache is touched but the settings the gate itself reads. Null for an unknown
 * article or account.
 */
export async function traceReading(db: Db, who: TraceReader, slug: string, intent: AccessInput["intent"], now = new Date(), request: TraceRequestFacts = DIRECT_DESKTOP): Promise<AccessTrace | null> {
  const [base, meta, live, rules] = await Promise.all([getReadingSettings(), findArticleMeta(db, slug), getLiveExperiments(), getLiveSegments()]);
  if (!meta) return null;
  const grace = env().BILLING_GRACE_DAYS;
  let reader: Reader = who.kind === "crawler" ? { kind: "crawler", name: "google" } : ANONYMOUS;
  let storedMeter = who.kind === "anonymous" ? who.meter : null;
  let account: AccessTrace["account"] = null;
  let subs: AccessTrace["subscriptions"] = [];
  let userGrants: AccessTrace["grants"] = [];
  if (who.kind === "user") {
    const loaded = await loadAccount(db, who.userId);
    if (!loaded) return null;
    account = loaded.account;
    storedMeter = loaded.meter;
    subs = loaded.subscriptions.map((s) => ({ ...s, entitles: subscriptionEntitlement(s, now, grace) }));
    userGrants = loaded.grants.map((g) => ({ ...g, entitles: grantEntitlement(g, now) }));
    const shares = await loadFamilyShares(db, account.id);
    const family = familyAccess(shares, now, grace);
    reader = { kind: "user", userId: account.id, entitlement: entitlementFor(loaded.subscriptions, loaded.grants, now, grace), ...(shares.length > 0 ? { family, familyEnded: family === null } : {}) };
  }
  // The gate's variants: a signed-in reader's kept key (or user id), an anonymous browser's id; none without one.
  const key = who.kind === "user" ? (account?.experimentKey ?? who.userId) : who.kind === "anonymous" ? (who.readerId ?? null) : null;
  // The gate's segment: the first rule matching the reader's own facts and the request's the admin chose.
  const newsletter = who.kind === "user" && rules.length > 0 && (await db.select({ id: newsletterSubscriptions.newsletterId }).from(newsletterSubscriptions).where(and(eq(newsletterSubscriptions.userId, who.userId), isNull(newsletterSubscriptions.unsubscribedAt))).limit(1)).length > 0;
  const match = who.kind === "crawler" ? { rule: null, matching: new Set<number>() } : matchSegment(rules, { ...request, signedIn: who.kind === "user", newsletterSubscriber: newsletter, frequency: frequencyOf(currentWindow(storedMeter, now, base.policy.windowDays).articleIds.length) });
  const variants: AssignedVariant[] = key ? assignReader(live, key, match.matching) : [];
  const settings = settingsWith(settingsForSegment(base, match.rule), variants);
  const licences = [
    ...(who.kind === "user" ? await loadSeatLicences(db, who.userId) : []),
    ...(who.kind !== "crawler" && who.address ? [await addressLicence(who.address, now)].filter((l): l is Licence => l !== null) : []),
  ];
  // The gate's choice: a running seat first, then the address's licence (lib/reading/reading-decision.ts).
  const licence = meta.access === "free" || who.kind === "crawler" ? null : runningLicence(licences, now);
  const segment = segmentMeter(match.rule);
  const decision = decideAccess({ reader, article: meta, meter: storedMeter, now, policy: base.policy, intent, licence, variants, segment });
  const leadIn = meta.leadInBlocks ?? settings.defaultLeadInBlocks;
  const words = await loadBlockWordCounts(db, meta.id);
  const entitlement = reader.kind === "user" ? reader.entitlement : null;
  return {
    now,
    intent,
    settings,
    article: { ...meta, published: isPublished(meta, now), blocks: words.length, leadIn, previewBlocks: previewBlockCount(words, leadIn) },
    account,
    subscriptions: subs,
    grants: userGrants,
    licences,
    storedMeter,
    decision,
    explained: {
      reason: decision.reason,
      level: decision.level,
      intent,
      readerKind: reader.kind,
      article: { id: meta.id, access: meta.access },
      policy: policyWith(base.policy, variants, segment),
      window: currentWindow(storedMeter, now, settings.policy.windowDays),
      entitlement,
      licence,
      family: reader.kind === "user" ? (reader.family ?? null) : null,
      familyEnded: reader.kind === "user" && reader.familyEnded === true,
      lapse: reader.kind === "user" && !entitlement ? latestLapse(subs, userGrants, now) : null,
      variants: variants.map((v) => ({ experimentName: v.experimentName, variantName: v.variantName, control: v.control })),
      segment: match.rule ? { id: match.rule.id, name: match.rule.name } : null,
      now,
    },
  };
}

async function loadAccount(db: Db, userId: string) {
  const [account] = await db
    .select({ id: users.id, email: users.email, emailVerified: users.emailVerified, role: users.role, createdAt: users.createdAt, experimentKey: users.experimentKey })
    .from(users)
    .where(eq(users.id, userId));
  if (!account) return null;
  const [subRows, grantRows, [meter]] = await Promise.all([
    db
      .select({ sub: subscriptions, planName: plans.name })
      .from(subscriptions)
      .leftJoin(plans, eq(plans.id, subscriptions.planId))
      .where(eq(subscriptions.userId, userId))
      .orderBy(asc(subscriptions.stripeCreated)),
    db.select().from(grants).where(eq(grants.userId, userId)).orderBy(asc(grants.startsAt)),
    db.select().from(userMeters).where(eq(userMeters.userId, userId)),
  ]);
  return {
    account,
    subscriptions: subRows.map((r) => ({ ...r.sub, planName: r.planName })),
    grants: grantRows,
    meter: meter ? { windowStart: meter.windowStart, articleIds: meter.articleIds } : null,
  };
}

/** An account by email (stored in lower case), for the admin's reader field. */
export async function findUserIdByEmail(db: Db, email: string): Promise<string | null> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email.trim().toLowerCase()));
  return row?.id ?? null;
}
