import "server-only";
/**
 * Mail that keeps money coming, sent from the webhook path inside the event's transaction:
 * on a failed renewal (first failure, and the retry 3 days later) a link to update the card;
 * on invoice.upcoming (7 days before a renewal) a reminder when a trial or a discount ends
 * there, with the price that follows. Each is claimed once by key (billing_mails): a duplicate
 * or replayed event sends nothing; if sending fails the event fails and its retry sends it.
 */
import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "@/db/client";
import { billingMails, planPrices, subscriptions, users } from "@/db/schema";
import { formatMoney } from "./money";
import { stripe } from "./stripe-client";
import { idOf } from "./stripe-rows";
import { env } from "@/lib/env";
import { paymentFailedEmail, renewalReminderEmail } from "@/lib/mail/templates/billing-reminders";
import { mailTransport, sendMail } from "@/lib/mail/transport";

/** How many failures of one invoice get a mail: the first, and the retry after it. */
const MAILED_ATTEMPTS = 2;

async function claim(tx: Db, key: string, userId: string): Promise<boolean> {
  const claimed = await tx.insert(billingMails).values({ key, userId }).onConflictDoNothing().returning({ key: billingMails.key });
  return claimed.length === 1;
}

async function ownerOf(tx: Db, subscriptionId: string) {
  const [row] = await tx
    .select({ sub: subscriptions, email: users.email })
    .from(subscriptions)
    .innerJoin(users, eq(users.id, subscriptions.userId))
    .where(eq(subscriptions.stripeSubscriptionId, subscriptionId));
  return row?.email ? { ...row, email: row.email } : null;
}

const day = (d: Date) => d.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });

export async function sendBillingMails(tx: Db, event: Stripe.Event): Promise<void> {
  // Without a mail server (a bare development setup) there is nothing to send and nothing to claim.
  if (!mailTransport()) return;
  if (event.type === "invoice.payment_failed") await paymentFailed(tx, event.data.object.id!);
  if (event.type === "invoice.upcoming") await upcoming(tx, event.data.object);
}

async function paymentFailed(tx: Db, invoiceId: string): Promise<void> {
  const invoice = await stripe().invoices.retrieve(invoiceId);
  const subscriptionId = idOf(invoice.parent?.subscription_details?.subscription);
  // Only renewals: a first payment fails on the Checkout page, in front of the reader.
  if (!subscriptionId || invoice.billing_reason !== "subscription_cycle" || invoice.status !== "open") return;
  if (invoice.attempt_count < 1 || invoice.attempt_count > MAILED_ATTEMPTS) return;
  const owner = await ownerOf(tx, subscriptionId);
  if (!owner || !(await claim(tx, `payment_failed:${invoice.id}:${invoice.attempt_count}`, owner.sub.userId!))) return;
  const { SITE_URL, SITE_NAME } = env();
  await sendMail(
    paymentFailedEmail({
      to: owner.email,
      siteName: SITE_NAME,
      amount: formatMoney(invoice.amount_due, invoice.currency),
      updateUrl: `${SITE_URL}/account/update-card?subscription=${subscriptionId}`,
      again: invoice.attempt_count > 1,
    }),
  );
}

/** The preview names the subscription; our row (just synced from Stripe) says what ends there. */
async function upcoming(tx: Db, preview: Stripe.Invoice): Promise<void> {
  const subscriptionId = idOf(preview.parent?.subscription_details?.subscription);
  if (!subscriptionId) return;
  const owner = await ownerOf(tx, subscriptionId);
  if (!owner) return;
  const { sub } = owner;
  const renewal = new Date((preview.period_start ?? 0) * 1000);
  const trialEnds = sub.status === "trialing" && sub.trialEnd !== null && Math.abs(sub.trialEnd.getTime() - renewal.getTime()) < 60_000;
  // A repeating discount whose end comes at (or before) this renewal: the preview is already at full price.
  const discountEnds = sub.discountDuration === "repeating" && sub.discountEnd !== null && sub.discountEnd.getTime() <= renewal.getTime();
  if (!trialEnds && !discountEnds) return;
  const when = trialEnds ? sub.trialEnd! : sub.discountEnd!;
  const key = `${trialEnds ? "trial" : "discount"}_ending:${subscriptionId}:${Math.floor(when.getTime() / 1000)}`;
  if (!(await claim(tx, key, sub.userId!))) return;
  const { SITE_URL, SITE_NAME } = env();
  const [price] = await tx.select({ interval: planPrices.interval }).from(planPrices).where(eq(planPrices.stripePriceId, sub.stripePriceId));
  await sendMail(
    renewalReminderEmail({
      to: owner.email,
      siteName: SITE_NAME,
      what: trialEnds ? "trial" : "discount",
      date: day(new Date(when.getTime() - sub.clockOffsetSeconds * 1000)),
      nextPrice: `${formatMoney(preview.amount_due, preview.currency)}${price ? ` / ${price.interval}` : ""}`,
      accountUrl: `${SITE_URL}/account`,
    }),
  );
}
