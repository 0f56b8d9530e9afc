import "server-only";
import { and, eq, gt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { sessions, users } from "@/db/schema";
import { entitlementFor, LIVE_STATUSES, pauseInEffect } from "@/lib/access/entitlement";
import { familyAccess, type FamilyShare } from "./family";
import { env } from "@/lib/env";
import { licenceInvoiceFrom, type Licence } from "./licence";
import { licenceInvoiceJson } from "./seat-licences";
import type { MeterState } from "./meter";
import type { Reader } from "./reader";

type Facts = Parameters<typeof entitlementFor>;
const toDate = (v: string | null) => (v ? new Date(v) : null);

/** What we know about a signed-in reader, before the clock is applied. */
export interface SessionReaderFacts {
  userId: string;
  sessionExpires: Date;
  subscriptions: Facts[0];
  grants: Facts[1];
  meter: MeterState | null;
  /** The licences of the organisations the reader holds a seat in, whatever their terms (judged per request). */
  licences: Licence[];
  /** The places the reader holds in payers' family subscriptions, whatever those subscriptions' states (judged per request). */
  families: FamilyShare[];
  /** The plans of the reader's subscriptions that had a trial (null: a plan no longer known): what the paywall's trial lines ask. */
  trialedPlanIds: Array<number | null>;
  /** What experiments hash the reader on (users.experiment_key); null: their user id. */
  experimentKey: string | null;
  /** The reader is on at least one newsletter list (segment rules may look at it). */
  newsletterSubscriber?: boolean;
}

/** The reader now: the entitlement is judged against the clock on every request, cached or not. */
export function readerFrom(facts: SessionReaderFacts, now: Date, graceDays: number): Reader {
  const entitlement = entitlementFor(facts.subscriptions, facts.grants, now, graceDays);
  const family = familyAccess(facts.families, now, graceDays);
  const familyFields = facts.families.length > 0 ? { family, familyEnded: family === null } : {};
  const pause = entitlement ? null : facts.subscriptions.map((s) => pauseInEffect(s, now)).find((p) => p !== null);
  // From the same cached rows as the entitlement (forgotten with them on every change), so the paywall asks no query.
  const subscribed = facts.subscriptions.some((s) => LIVE_STATUSES.includes(s.status));
  return { kind: "user", userId: facts.userId, entitlement, subscribed, trialedPlanIds: facts.trialedPlanIds, experimentKey: facts.experimentKey, newsletterSubscriber: facts.newsletterSubscriber === true, ...familyFields, ...(pause ? { paused: { until: pause.until } } : {}) };
}

/**
 * Everything the reading decision needs about a signed-in reader, in one query (the reading
 * path's only database round trip): the session's user, their subscriptions and grants (for
 * the entitlement) and their server-side meter.
 */
export async function loadSessionReaderFacts(db: Db, token: string, now: Date): Promise<SessionReaderFacts | null> {
  const [row] = await db
    .select({
      userId: users.id,
      experimentKey: users.experimentKey,
      sessionExpires: sessions.expires,
      subs: sql<Array<Record<string, string | number | boolean | null>> | null>`(
        select json_agg(json_build_object(${SUBSCRIPTION_FACTS_JSON}))
        from subscriptions s where s.user_id = ${users.id})`,
      // The payer's subscription for each family place: members read by its rows, never the payer's grants. A place the member left is gone.
      families: sql<Array<Record<string, string | number | boolean | null>> | null>`(
        select json_agg(json_build_object('subscriptionId', s.stripe_subscription_id, 'payerUserId', s.user_id, 'familyAccounts', p.family_accounts,
          'removed', fm.ended_at is not null, ${SUBSCRIPTION_FACTS_JSON}) order by fm.joined_at)
        from family_members fm join subscriptions s on s.stripe_subscription_id = fm.stripe_subscription_id
        left join plans p on p.id = s.plan_id where fm.user_id = ${users.id} and fm.ended_by is distinct from 'member')`,
      grants: sql<Array<{ startsAt: string; endsAt: string | null; revokedAt: string | null; giftSubscriptionId: number | null }> | null>`(
        select json_agg(json_build_object('startsAt', g.starts_at, 'endsAt', g.ends_at, 'revokedAt', g.revoked_at, 'giftSubscriptionId', g.gift_subscription_id))
        from grants g where g.user_id = ${users.id})`,
      meter: sql<{ windowStart: number; articleIds: number[] } | null>`(
        select json_build_object('windowStart', m.window_start, 'articleIds', m.article_ids)
        from user_meters m where m.user_id = ${users.id})`,
      newsletterSubscriber: sql<boolean>`exists (select 1 from newsletter_subscriptions ns where ns.user_id = ${users.id} and ns.unsubscribed_at is null)`,
      trialedPlanIds: sql<Array<number | null> | null>`(
        select json_agg(s.plan_id) from subscriptions s where s.user_id = ${users.id} and s.trial_end is not null)`,
      licences: sql<Array<{ id: number; name: string; termStart: string; termEnd: string; invoice: { status: string; dueDate: string | null } | null }> | null>`(
        select json_agg(json_build_object('id', o.id, 'name', o.name, 'termStart', o.term_start, 'termEnd', o.term_end, 'invoice', ${licenceInvoiceJson("o")}) order by o.id)
        from organisation_members om join organisations o on o.id = om.organisation_id where om.user_id = ${users.id})`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.sessionToken, token), gt(sessions.expires, now)))
    .limit(1);
  if (!row) return null;
  const subs: Facts[0] = (row.subs ?? []).map(subscriptionFactsFrom);
  const grants: Facts[1] = (row.grants ?? []).map((g) => ({
    startsAt: new Date(g.startsAt),
    endsAt: toDate(g.endsAt),
    revokedAt: toDate(g.revokedAt),
    giftSubscriptionId: g.giftSubscriptionId === null || g.giftSubscriptionId === undefined ? null : Number(g.giftSubscriptionId),
  }));
  return {
    userId: row.userId,
    experimentKey: row.experimentKey,
    newsletterSubscriber: row.newsletterSubscriber === true,
    sessionExpires: row.sessionExpires,
    subscriptions: subs,
    grants,
    meter: row.meter ? { windowStart: Number(row.meter.windowStart), articleIds: row.meter.articleIds.map(Number) } : null,
    trialedPlanIds: (row.trialedPlanIds ?? []).map((id) => (id === null ? null : Number(id))),
    families: (row.families ?? []).map((f) => ({
      stripeSubscriptionId: String(f.subscriptionId),
      payerUserId: f.payerUserId === null || f.payerUserId === undefined ? null : String(f.payerUserId),
      familyAccounts: f.familyAccounts === null || f.familyAccounts === undefined ? null : Number(f.familyAccounts),
      removed: f.removed === true,
      facts: subscriptionFactsFrom(f),
    })),
    licences: (row.licences ?? []).map((o) => ({
      organisationId: Number(o.id),
      organisationName: o.name,
      via: "seat" as const,
      termStart: new Date(o.termStart),
      termEnd: new Date(o.termEnd),
      invoice: licenceInvoiceFrom(o.invoice, env().BILLING_GRACE_DAYS),
    })),
  };
}

/** The deciding columns of a subscription `s`, as json_build_object's arguments. */
const SUBSCRIPTION_FACTS_JSON = sql.raw(`'status', s.status, 'currentPeriodStart', s.current_period_start, 'currentPeriodEnd', s.current_period_end,
          'cancelAtPeriodEnd', s.cancel_at_period_end, 'cancelAt', s.cancel_at, 'endedAt', s.ended_at,
          'trialEnd', s.trial_end, 'clockOffsetSeconds', s.clock_offset_seconds,
          'collectionPaused', s.collection_paused, 'pausedUntil', s.paused_until, 'paidThrough', s.paid_through`);

function subscriptionFactsFrom(s: Record<string, string | number | boolean | null>): Facts[0][number] {
  return {
    status: s.status as Facts[0][number]["status"],
    currentPeriodStart: toDate(s.currentPeriodStart as string | null),
    currentPeriodEnd: toDate(s.currentPeriodEnd as string | null),
    cancelAtPeriodEnd: s.cancelAtPeriodEnd === true,
    cancelAt: toDate(s.cancelAt as string | null),
    endedAt: toDate(s.endedAt as string | null),
    trialEnd: toDate(s.trialEnd as string | null),
    collectionPaused: s.collectionPaused === true,
    pausedUntil: toDate(s.pausedUntil as string | null),
    paidThrough: toDate(s.paidThrough as string | null),
    clockOffsetSeconds: Number(s.clockOffsetSeconds ?? 0),
  };
}
