import "server-only";
import { and, asc, desc, eq, gt, inArray, isNotNull, like, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { grants, plans, subscriptions, users } from "@/db/schema";
import { entitlementFor, grantEntitlement } from "@/lib/access/entitlement";
import { onOurClock } from "@/lib/billing/stripe-rows";
import { csvLine } from "../shared/csv";
import type { SubscriberQuery } from "./form";

export const SUBSCRIBERS_PER_PAGE = 50;
const CSV_BATCH = 1000;

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
  granted: boolean;
}

/**
 * A search matches the start of the address (emails are stored in lower case), so it is a range
 * scan of users_email_prefix_idx; a match in the middle would need a trigram index (pg_trgm).
 */
const emailPrefix = (q: string) => like(users.email, `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
const hasSubscriptionOrGrant = or(
  sql`exists (select 1 from ${subscriptions} where ${subscriptions.userId} = ${users.id})`,
  sql`exists (select 1 from ${grants} where ${grants.userId} = ${users.id})`,
)!;
const cursorRow = (after: string) => sql`(select ${users.createdAt}, ${users.id} from ${users} where ${users.id} = ${after})`;

/**
 * One page of readers after the reader `after`. Without a search: readers who have (or had) a
 * subscription or a grant, by creation time. With one: any account whose email starts with it,
 * in address order. Both walk an index from the cursor, however deep the page.
 */
function readersPage(db: Db, q: string | undefined, after: string | undefined, order: "newest" | "oldest", limit: number) {
  const columns = { id: users.id, email: users.email };
  if (q) {
    const from = after ? gt(users.email, sql`(select ${users.email} from ${users} where ${users.id} = ${after})`) : undefined;
    return db.select(columns).from(users).where(and(emailPrefix(q), from)).orderBy(asc(users.email)).limit(limit);
  }
  const [direction, compare] = order === "newest" ? [desc, sql.raw("<")] : [asc, sql.raw(">")];
  const from = after ? sql`(${users.createdAt}, ${users.id}) ${compare} ${cursorRow(after)}` : undefined;
  return db.select(columns).from(users).where(and(hasSubscriptionOrGrant, from)).orderBy(direction(users.createdAt), direction(users.id)).limit(limit);
}

/**
 * How many readers the list holds, counted from the user-id indexes (each subscriber once, in
 * index order), not by visiting every account: those with a subscription, then those with only grants.
 */
async function countReaders(db: Db, q: string | undefined): Promise<number> {
  if (q) {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users).where(emailPrefix(q));
    return Number(row?.n ?? 0);
  }
  const subscribed = db.selectDistinct({ userId: subscriptions.userId }).from(subscriptions).where(isNotNull(subscriptions.userId)).as("subscribed");
  const [[withSubscription], [onlyGrants]] = await Promise.all([
    db.select({ n: sql<number>`count(*)::int` }).from(subscribed),
    db
      .select({ n: sql<number>`count(distinct ${grants.userId})::int` })
      .from(grants)
      .where(sql`not exists (select 1 from ${subscriptions} where ${subscriptions.userId} = ${grants.userId})`),
  ]);
  return Number(withSubscription?.n ?? 0) + Number(onlyGrants?.n ?? 0);
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
      currentPeriodEnd: latest ? onOurClock(latest.sub.currentPeriodEnd, latest.sub.clockOffsetSeconds) : null,
      subscribedAt: latest ? onOurClock(latest.sub.stripeCreated, latest.sub.clockOffsetSeconds) : null,
      granted: ownGrants.some((g) => grantEntitlement(g, now) !== null),
    };
  });
}

export async function listSubscribers(
  db: Db,
  query: SubscriberQuery,
  graceDays: number,
  now = new Date(),
): Promise<{ rows: SubscriberRow[]; total: number; next: string | null }> {
  const [total, people] = await Promise.all([countReaders(db, query.q), readersPage(db, query.q, query.after, "newest", SUBSCRIBERS_PER_PAGE + 1)]);
  const page = people.slice(0, SUBSCRIBERS_PER_PAGE);
  const next = people.length > SUBSCRIBERS_PER_PAGE ? page.at(-1)!.id : null;
  return { rows: await describeUsers(db, page, now, graceDays), total, next };
}

export const CSV_HEADER = ["email", "plan", "status", "entitled", "current_period_end", "created"] as const;

/**
 * Every subscriber (matching the search, if any) as a CSV stream, every field escaped (see shared/csv.ts).
 * One keyset-paged batch is read only when the reader of the stream wants more, so memory stays
 * flat however many readers there are.
 */
export function subscribersCsvStream(db: Db, q: string | undefined, graceDays: number, now = new Date()): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: string | undefined;
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(CSV_HEADER)));
    },
    async pull(controller) {
      const people = await readersPage(db, q, after, "oldest", CSV_BATCH);
      const rows = await describeUsers(db, people, now, graceDays);
      const lines = rows.map((r) => csvLine([r.email, r.plan, r.status ?? (r.granted ? "comp" : null), r.entitled ? "yes" : "no", r.currentPeriodEnd, r.subscribedAt]));
      if (lines.length > 0) controller.enqueue(encoder.encode(lines.join("")));
      after = people.at(-1)?.id;
      done = people.length < CSV_BATCH;
      if (done) controller.close();
    },
  });
}
