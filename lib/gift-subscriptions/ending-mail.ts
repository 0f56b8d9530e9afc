import "server-only";
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { billingMails, giftSubscriptions, grants, subscriptions, users } from "@/db/schema";
import { recordBillingMail } from "@/lib/billing/billing-mail-outbox";
import { deliverBillingMailsSoon } from "@/lib/billing/billing-mail-delivery";
import { env } from "@/lib/env";
import { giftEndingEmail } from "@/lib/mail/templates/gift-subscription";

/** How long before a redeemed gift's months end its recipient is offered a subscription. */
export const GIFT_ENDING_NOTICE_DAYS = 7;

const endingKey = (giftId: number) => `gift_subscription_ending:${giftId}`;

/**
 * Mails each recipient whose redeemed gift ends within GIFT_ENDING_NOTICE_DAYS of `now` one offer
 * to subscribe, keyed by the gift (`gift_subscription_ending:<id>`) in the billing mail outbox: once
 * per gift, however many sweeps and servers see it, and it waits out a mail server outage. Skipped
 * (for now) while the reader has a subscription that is not cancelled, or a later right that
 * continues the gift's (another gift, a grant) — they need no offer. Returns how many were recorded.
 */
export async function mailEndingGiftSubscriptions(db: Db, now: Date): Promise<number> {
  const horizon = new Date(now.getTime() + GIFT_ENDING_NOTICE_DAYS * 86_400_000);
  const due = await db
    .select({ grant: grants, gift: giftSubscriptions, email: users.email })
    .from(grants)
    .innerJoin(giftSubscriptions, eq(giftSubscriptions.id, grants.giftSubscriptionId))
    .innerJoin(users, eq(users.id, grants.userId))
    .leftJoin(billingMails, eq(billingMails.key, sql`'gift_subscription_ending:' || ${giftSubscriptions.id}`))
    .where(
      and(
        isNull(billingMails.key),
        isNotNull(grants.giftSubscriptionId),
        isNull(grants.revokedAt),
        isNull(giftSubscriptions.refundedAt),
        isNotNull(grants.endsAt),
        gt(grants.endsAt, now),
        lte(grants.endsAt, horizon),
      ),
    )
    .orderBy(asc(grants.endsAt))
    .limit(200);
  if (due.length === 0) return 0;
  const userIds = [...new Set(due.map((d) => d.grant.userId))];
  const [subscribed, held] = await Promise.all([
    db
      .select({ userId: subscriptions.userId })
      .from(subscriptions)
      .where(and(inArray(subscriptions.userId, userIds), inArray(subscriptions.status, ["active", "trialing", "past_due"]), eq(subscriptions.cancelAtPeriodEnd, false), isNull(subscriptions.cancelAt))),
    db.select().from(grants).where(and(inArray(grants.userId, userIds), isNull(grants.revokedAt))),
  ]);
  const subscribers = new Set(subscribed.map((s) => s.userId));
  const { SITE_NAME, SITE_URL } = env();
  let recorded = 0;
  for (const { grant, gift, email } of due) {
    if (!email || subscribers.has(grant.userId)) continue;
    const endsAt = grant.endsAt!;
    const continued = held.some((g) => g.id !== grant.id && g.userId === grant.userId && g.startsAt <= endsAt && (g.endsAt === null || g.endsAt > endsAt));
    if (continued) continue;
    const mail = giftEndingEmail({
      siteName: SITE_NAME,
      planName: gift.planName,
      months: gift.months,
      recipientEmail: email,
      endsOn: endsAt.toISOString().slice(0, 10),
      subscribeUrl: new URL("/subscribe", SITE_URL).toString(),
    });
    if (await db.transaction((tx) => recordBillingMail(tx, endingKey(gift.id), grant.userId, mail))) recorded++;
  }
  if (recorded > 0) deliverBillingMailsSoon(db);
  return recorded;
}
