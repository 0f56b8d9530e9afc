import "server-only";
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { billingMails, stripeCustomers, stripeEvents } from "@/db/schema";
import { EVENT_STATES, EVENTS_PER_PAGE, UNDELIVERED_MAIL_STATES, type WebhookQuery } from "./form";

export interface StoredEvent {
  id: string;
  type: string;
  state: (typeof EVENT_STATES)[number];
  error: string | null;
  attempts: number;
  stripeCreated: Date;
  receivedAt: Date;
  processedAt: Date | null;
  stripeCustomerId: string | null;
  /** The reader this customer belongs to, for a link to their page. */
  userId: string | null;
  payload: unknown;
}

export async function listStoredEvents(db: Db, query: WebhookQuery): Promise<{ rows: StoredEvent[]; total: number; pages: number; types: string[] }> {
  const conditions: SQL[] = [];
  if (query.type) conditions.push(eq(stripeEvents.type, query.type));
  if (query.state) conditions.push(eq(stripeEvents.state, query.state));
  const where = conditions.length > 0 ? and(...conditions) : undefined;
  const [[count], rows, types] = await Promise.all([
    db.select({ n: sql<number>`count(*)::int` }).from(stripeEvents).where(where),
    db
      .select({
        id: stripeEvents.id,
        type: stripeEvents.type,
        state: stripeEvents.state,
        error: stripeEvents.error,
        attempts: stripeEvents.attempts,
        stripeCreated: stripeEvents.stripeCreated,
        receivedAt: stripeEvents.receivedAt,
        processedAt: stripeEvents.processedAt,
        stripeCustomerId: stripeEvents.stripeCustomerId,
        userId: stripeCustomers.userId,
        payload: stripeEvents.payload,
      })
      .from(stripeEvents)
      .leftJoin(stripeCustomers, eq(stripeCustomers.stripeCustomerId, stripeEvents.stripeCustomerId))
      .where(where)
      .orderBy(desc(stripeEvents.stripeCreated), desc(stripeEvents.receivedAt), desc(stripeEvents.id))
      .limit(EVENTS_PER_PAGE)
      .offset((query.page - 1) * EVENTS_PER_PAGE),
    db.selectDistinct({ type: stripeEvents.type }).from(stripeEvents).orderBy(asc(stripeEvents.type)),
  ]);
  const total = Number(count?.n ?? 0);
  return { rows, total, pages: Math.max(1, Math.ceil(total / EVENTS_PER_PAGE)), types: types.map((t) => t.type) };
}

export type UndeliveredMail = Awaited<ReturnType<typeof listUndeliveredBillingMails>>[number];

/** Billing mail that will not go out by itself: refused (`failed`) or cut off mid-send (`unknown`), newest first. */
export async function listUndeliveredBillingMails(db: Db, limit = 50) {
  return db
    .select({
      key: billingMails.key,
      userId: billingMails.userId,
      to: sql<string | null>`${billingMails.content}->>'to'`,
      subject: sql<string | null>`${billingMails.content}->>'subject'`,
      state: billingMails.state,
      attempts: billingMails.attempts,
      lastError: billingMails.lastError,
      createdAt: billingMails.createdAt,
    })
    .from(billingMails)
    .where(inArray(billingMails.state, [...UNDELIVERED_MAIL_STATES]))
    .orderBy(desc(billingMails.createdAt), asc(billingMails.key))
    .limit(limit);
}
