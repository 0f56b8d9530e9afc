import "server-only";
/**
 * Renewal notices (California's automatic renewal law and the like): before a yearly plan renews,
 * the reader is mailed the price, the day, and how to cancel, `RENEWAL_NOTICE_DAYS` days ahead
 * (15 by default: inside California's 3–21 days and the 15–45 days asked of yearly renewals). A
 * trial's end is told by the trial-ending mail (billing-mail.ts, on invoice.upcoming, 7 days ahead). Each notice is
 * one billing mail keyed by subscription and renewal instant, so it is sent once per renewal,
 * however many sweeps and servers see it, and survives a mail server outage (the outbox).
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { billingMails, plans, subscriptions, users } from "@/db/schema";
import { billingDay } from "@/lib/billing/billing-day";
import { deliverBillingMails } from "@/lib/billing/billing-mail-delivery";
import { recordBillingMail } from "@/lib/billing/billing-mail-outbox";
import { formatMoney } from "@/lib/billing/money";
import { env } from "@/lib/env";
import { renewalNoticeEmail } from "@/lib/mail/templates/billing-reminders";
import { mailTransport } from "@/lib/mail/transport";

/** The renewal instant on Stripe's clock, as the notice's key has it. */
const renewsAt = sql`${subscriptions.currentPeriodEnd}`;
const noticeKey = sql<string>`'renewal_notice:' || ${subscriptions.stripeSubscriptionId} || ':' || extract(epoch from ${renewsAt})::bigint`;

/** Records and sends the notices now due; how many were recorded. */
export async function sendRenewalNotices(db: Db, now = new Date()): Promise<number> {
  if (!mailTransport()) return 0;
  const days = env().RENEWAL_NOTICE_DAYS;
  const due = await db
    .select({ sub: subscriptions, plan: plans, email: users.email, key: noticeKey })
    .from(subscriptions)
    .innerJoin(plans, eq(plans.id, subscriptions.planId))
    .innerJoin(users, eq(users.id, subscriptions.userId))
    .leftJoin(billingMails, eq(billingMails.key, noticeKey))
    .where(
      and(
        isNull(billingMails.key),
        eq(subscriptions.status, "active"),
        eq(plans.interval, "year"),
        eq(subscriptions.cancelAtPeriodEnd, false),
        isNull(subscriptions.cancelAt),
        eq(subscriptions.collectionPaused, false),
        // On our clock: after now, and no more than `days` ahead.
        sql`(${renewsAt} - ${subscriptions.clockOffsetSeconds} * interval '1 second') > ${now.toISOString()}::timestamptz`,
        sql`(${renewsAt} - ${subscriptions.clockOffsetSeconds} * interval '1 second') <= ${now.toISOString()}::timestamptz + ${days} * interval '1 day'`,
      ),
    )
    .limit(200);
  const { SITE_NAME, SITE_URL } = env();
  let recorded = 0;
  for (const { sub, plan, email, key } of due) {
    const on = sub.currentPeriodEnd;
    if (!email || !on) continue;
    const mail = renewalNoticeEmail({
      to: email,
      siteName: SITE_NAME,
      plan: plan.name,
      price: `${formatMoney(plan.amount, plan.currency)} per ${plan.interval}`,
      on: billingDay(on, sub.clockOffsetSeconds),
      cancelUrl: `${SITE_URL}/cancel`,
      accountUrl: `${SITE_URL}/account`,
    });
    if (await db.transaction((tx) => recordBillingMail(tx, key, sub.userId, mail))) recorded++;
  }
  if (recorded > 0) await deliverBillingMails(db);
  return recorded;
}
