import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import type Stripe from "stripe";
import { z } from "zod";
import type { Db } from "@/db/client";
import { stripeCustomers, stripeEventState, stripeEvents } from "@/db/schema";
import { processStripeEvent } from "@/lib/billing/process-event";
import type { AdminActor } from "./admin-action";
import { recordAudit } from "./audit";

export const EVENTS_PER_PAGE = 25;
export const EVENT_STATES = stripeEventState.enumValues;

export const webhookQuerySchema = z.object({
  type: z
    .string()
    .regex(/^[a-z_.]{1,100}$/)
    .optional()
    .catch(undefined),
  state: z.enum(EVENT_STATES).optional().catch(undefined),
  page: z.coerce.number<unknown>().int().min(1).max(100_000).catch(1),
});
export type WebhookQuery = z.output<typeof webhookQuerySchema>;

export const replayEventSchema = z.object({ eventId: z.string().trim().regex(/^[A-Za-z0-9_]{1,255}$/, "Not an event id") });

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

export type ReplayOutcome = { ok: true; outcome: string } | { ok: false; message: string };

/**
 * Processes a failed event again from its stored payload (the payload was verified when it
 * arrived). processStripeEvent is idempotent: an event that has since succeeded is a duplicate
 * and changes nothing. The replay and its outcome are audited.
 */
export async function replayStoredEvent(db: Db, actor: AdminActor, eventId: string): Promise<ReplayOutcome> {
  const [stored] = await db.select().from(stripeEvents).where(eq(stripeEvents.id, eventId));
  if (!stored) return { ok: false, message: "This event is not stored." };
  if (stored.state !== "failed") return { ok: false, message: `Only failed events can be replayed; this one is ${stored.state.replaceAll("_", " ")}.` };
  const before = { state: stored.state, error: stored.error, attempts: stored.attempts };
  let result: ReplayOutcome;
  try {
    result = { ok: true, outcome: await processStripeEvent(db, stored.payload as Stripe.Event) };
  } catch (error) {
    result = { ok: false, message: `It failed again: ${error instanceof Error ? error.message.split("\n")[0]!.slice(0, 300) : String(error)}` };
  }
  const [after] = await db.select({ state: stripeEvents.state, error: stripeEvents.error, attempts: stripeEvents.attempts }).from(stripeEvents).where(eq(stripeEvents.id, eventId));
  // processStripeEvent commits its own transaction; the record of the replay follows it.
  await db.transaction((tx) => recordAudit(tx, { actor, action: "stripe_event.replay", targetType: "stripe_event", targetId: eventId, before, after: after ?? null }));
  return result;
}
