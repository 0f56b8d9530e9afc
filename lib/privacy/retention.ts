import "server-only";
/**
 * How long what a deletion keeps is kept. A consent record (the terms a subscriber agreed to at
 * Checkout) is evidence for as long as a claim about the contract may be made: three years after
 * its subscription ended (a subscription that still runs keeps its record). The confirmation mail
 * of a deleted account holds the erased address only until it is sent.
 */
import { and, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { billingMails, consentRecords, subscriptions, users } from "@/db/schema";

export const CONSENT_RETENTION_YEARS = 3;

/** The moment before which an ended subscription's consent record is no longer kept. */
export function consentCutoff(now: Date): Date {
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - CONSENT_RETENTION_YEARS);
  return cutoff;
}

/**
 * Removes the consent records past their three years: accepted before the cutoff, and their
 * subscription ended before it (or unknown here). How many were removed.
 */
export async function removeExpiredConsentRecords(db: Db, now = new Date()): Promise<number> {
  const cutoff = consentCutoff(now);
  const stillKept = db
    .select({ one: sql`1` })
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.stripeSubscriptionId, consentRecords.stripeSubscriptionId),
        sql`coalesce(${subscriptions.endedAt}, ${subscriptions.canceledAt}, 'infinity'::timestamptz) >= ${cutoff.toISOString()}::timestamptz`,
      ),
    );
  const removed = await db
    .delete(consentRecords)
    .where(and(lt(consentRecords.acceptedAt, cutoff), sql`not exists (${stillKept})`))
    .returning({ id: consentRecords.stripeSubscriptionId });
  return removed.length;
}

/** Drops the text (and so the address) of deleted accounts' mail once it was sent. */
export async function eraseSentMailOfDeletedAccounts(db: Db): Promise<number> {
  const deleted = db.select({ id: users.id }).from(users).where(isNotNull(users.deletedAt));
  const erased = await db
    .update(billingMails)
    .set({ content: null })
    .where(and(eq(billingMails.state, "sent"), isNotNull(billingMails.content), inArray(billingMails.userId, deleted)))
    .returning({ key: billingMails.key });
  return erased.length;
}
