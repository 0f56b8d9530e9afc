import { and, asc, desc, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { grants, invoices, plans, stripeEvents, subscriptions, users, type SubscriptionRow } from "@/db/schema";
import { loadUserMeter } from "@/lib/access/user-meter";
import { subscriptionsWithPlan } from "@/lib/billing/account-billing";
import { customerIdsFor } from "@/lib/billing/customers";
import { entitlementFor, grantEntitlement, subscriptionEntitlement } from "@/lib/billing/entitlement";
import { toCsv } from "./csv";

export const SUBSCRIBERS_PER_PAGE = 50;

export const subscriberQuerySchema = z.object({
  q: z
    .string()
    .optional()
    .catch(undefined)
    .transform((v) => v?.trim().slice(0, 200) || undefined),
  page: z.coerce.number<unknown>().int().min(1).max(100_000).catch(1),
});
export type SubscriberQuery = z.output<typeof subscriberQuerySchema>;

export const readerIdSchema = z.string().trim().min(1).max(200);

/** One line of the subscribers list (and of the CSV): no whole user rows leave this module. */
export interface SubscriberRow {
  userId: string;
  email: string | null;
  plan: string | null;
  status: string | null;
  entitled: boolean;
  /** On our clock (a test clock's offset removed). */
  currentPeriodEnd: Date | null;
  /** When their latest subscription was created (on our clock); null for a reader with none. */
  subscribedAt: Date | null;
  comped: boolean;
}

const shift = (d: Date | null, seconds: number) => (d ? new Date(d.getTime() - seconds * 1000) : null);
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Without a search: readers who have (or had) a subscription or a grant. With one: any account by email. */
function subscriberFilter(q: string | undefined): SQL | undefined {
  if (q) return ilike(users.email, likePattern(q));
  return or(
    sql`exists (select 1 from ${subscriptions} where ${subscriptions.userId} = ${users.id})`,
    sql`exists (select 1 from ${grants} where ${grants.userId} = ${users.id})`,
  );
}

async function describeUsers(db: Db, people: Array<{ id: string; email: string | null }>, now: Date, graceDays: number): Promise<SubscriberRow[]> {
  if (people.length === 0) return [];
  const ids = people.map((p) => p.id);
  const [subs, userGrants] = await Promise.all([
    db
      .select({ sub: subscriptions, planName: plans.name })
      .from(subscriptions)
      .leftJoin(plans, eq(plans.id, subscriptions.planId))
      .where(inArray(subscriptions.userId, ids))
      .orderBy(desc(subscriptions.stripeCreated)),
    db.select().from(grants).where(inArray(grants.userId, ids)),
  ]);
  return people.map((person) => {
    const own = subs.filter((s) => s.sub.userId === person.id);
    const ownGrants = userGrants.filter((g) => g.userId === person.id);
    const latest = own[0];
    return {
      userId: person.id,
      email: person.email,
      plan: latest ? (latest.planName ?? "(deleted plan)") : null,
      status: latest?.sub.status ?? null,
      entitled: entitlementFor(own.map((s) => s.sub), ownGrants, now, graceDays) !== null,
      currentPeriodEnd: latest ? shift(latest.sub.currentPeriodEnd, latest.sub.clockOffsetSeconds) : null,
      subscribedAt: latest ? shift(latest.sub.stripeCreated, latest.sub.clockOffsetSeconds) : null,
      comped: ownGrants.some((g) => grantEntitlement(g, now) !== null),
    };
  });
}

export async function listSubscribers(
  db: Db,
  query: SubscriberQuery,
  graceDays: number,
  now = new Date(),
): Promise<{ rows: SubscriberRow[]; total: number; pages: number }> {
  const where = subscriberFilter(query.q);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(users).where(where);
  const people = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(where)
    .orderBy(desc(users.createdAt), asc(users.id))
    .limit(SUBSCRIBERS_PER_PAGE)
    .offset((query.page - 1) * SUBSCRIBERS_PER_PAGE);
  const total = Number(count?.n ?? 0);
  return { rows: await describeUsers(db, people, now, graceDays), total, pages: Math.max(1, Math.ceil(total / SUBSCRIBERS_PER_PAGE)) };
}

export const CSV_HEADER = ["email", "plan", "status", "entitled", "current_period_end", "created"] as const;

/** Every subscriber (matching the search, if any) as CSV, every field escaped (see csv.ts). */
export async function subscribersCsv(db: Db, q: string | undefined, graceDays: number, now = new Date()): Promise<string> {
  const where = subscriberFilter(q);
  const rows: SubscriberRow[] = [];
  const batch = 500;
  for (let offset = 0; ; offset += batch) {
    const people = await db.select({ id: users.id, email: users.email }).from(users).where(where).orderBy(asc(users.createdAt), asc(users.id)).limit(batch).offset(offset);
    rows.push(...(await describeUsers(db, people, now, graceDays)));
    if (people.length < batch) break;
  }
  return toCsv(
    CSV_HEADER,
    rows.map((r) => [r.email, r.plan, r.status ?? (r.comped ? "comp" : null), r.entitled ? "yes" : "no", r.currentPeriodEnd, r.subscribedAt]),
  );
}

// --- One reader ---

export interface ReaderDetail {
  account: { id: string; email: string | null; emailVerified: Date | null; role: string; memberSince: Date };
  entitlement: { source: string; until: Date | null } | null;
  subscriptions: Array<{
    id: string;
    plan: string | null;
    status: string;
    entitled: boolean;
    stripePriceId: string;
    created: Date;
    currentPeriodEnd: Date | null;
    cancelAtPeriodEnd: boolean;
    endedAt: Date | null;
  }>;
  invoices: Array<{ id: string; status: string; amount: number; currency: string; created: Date; periodEnd: Date | null; url: string | null }>;
  events: Array<{ id: string; type: string; state: string; received: Date; error: string | null }>;
  meter: { windowStart: Date; articles: number } | null;
  grants: Array<{ id: number; reason: string; startsAt: Date; endsAt: Date | null; revokedAt: Date | null; active: boolean; createdBy: string | null }>;
  customerIds: string[];
}

export async function readerDetail(db: Db, userId: string, graceDays: number, now = new Date()): Promise<ReaderDetail | null> {
  const [account] = await db
    .select({ id: users.id, email: users.email, emailVerified: users.emailVerified, role: users.role, memberSince: users.createdAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!account) return null;
  const [subs, customers, userGrants, meter] = await Promise.all([
    subscriptionsWithPlan(db, userId),
    customerIdsFor(db, userId),
    db
      .select({ grant: grants, createdBy: users.email })
      .from(grants)
      .leftJoin(users, eq(users.id, grants.createdBy))
      .where(eq(grants.userId, userId))
      .orderBy(desc(grants.createdAt)),
    loadUserMeter(db, userId),
  ]);
  const customerIds = [...new Set([...customers, ...subs.map((s) => s.sub.stripeCustomerId)])];
  const [invoiceRows, eventRows] =
    customerIds.length === 0
      ? [[], []]
      : await Promise.all([
          db.select().from(invoices).where(inArray(invoices.stripeCustomerId, customerIds)).orderBy(desc(invoices.stripeCreated)).limit(50),
          db
            .select({ id: stripeEvents.id, type: stripeEvents.type, state: stripeEvents.state, received: stripeEvents.receivedAt, error: stripeEvents.error })
            .from(stripeEvents)
            .where(and(inArray(stripeEvents.stripeCustomerId, customerIds)))
            .orderBy(desc(stripeEvents.receivedAt), desc(stripeEvents.id))
            .limit(50),
        ]);
  const entitlement = entitlementFor(
    subs.map((s) => s.sub),
    userGrants.map((g) => g.grant),
    now,
    graceDays,
  );
  return {
    account,
    entitlement,
    subscriptions: subs.map(({ sub, planName }) => subscriptionLine(sub, planName, now, graceDays)),
    invoices: invoiceRows.map((i) => ({
      id: i.stripeInvoiceId,
      status: i.status,
      amount: i.amountPaid || i.amountDue,
      currency: i.currency,
      created: i.stripeCreated,
      periodEnd: i.periodEnd,
      url: i.hostedInvoiceUrl,
    })),
    events: eventRows,
    meter: meter ? { windowStart: new Date(meter.windowStart * 1000), articles: meter.articleIds.length } : null,
    grants: userGrants.map(({ grant, createdBy }) => ({
      id: grant.id,
      reason: grant.reason,
      startsAt: grant.startsAt,
      endsAt: grant.endsAt,
      revokedAt: grant.revokedAt,
      active: grantEntitlement(grant, now) !== null,
      createdBy,
    })),
    customerIds,
  };
}

function subscriptionLine(sub: SubscriptionRow, planName: string | null, now: Date, graceDays: number): ReaderDetail["subscriptions"][number] {
  return {
    id: sub.stripeSubscriptionId,
    plan: planName,
    status: sub.status,
    entitled: subscriptionEntitlement(sub, now, graceDays) !== null,
    stripePriceId: sub.stripePriceId,
    created: shift(sub.stripeCreated, sub.clockOffsetSeconds)!,
    currentPeriodEnd: shift(sub.currentPeriodEnd, sub.clockOffsetSeconds),
    cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
    endedAt: shift(sub.endedAt, sub.clockOffsetSeconds),
  };
}
