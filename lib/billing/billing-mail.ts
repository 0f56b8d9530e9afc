import "server-only";
/**
 * Mail that keeps money coming, decided in the webhook event's transaction and sent after it
 * commits (an outbox, docs/decisions/0020): on a failed renewal (first failure, and the retry 3
 * days later) a link to update the card; on invoice.upcoming (7 days before a renewal) a
 * reminder when a trial or a discount ends there, with the price that follows. Here a mail is
 * only recorded, rendered, as a `pending` billing_mails row under its unique key, so a duplicate
 * or replayed event records nothing; Stripe is not called here (the invoice was fetched before
 * the transaction opened) and neither is the mail server (billing-mail-delivery.ts sends it); lint
 * refuses the imports that would (eslint.config.mjs).
 */
import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { Tx } from "@/db/client";
import { billingMails, planPrices, subscriptions, users, type BillingMailContent } from "@/db/schema";
import { billingDay } from "./billing-day";
import { formatMoney } from "./money";
import type { InvoiceAttempt, InvoiceCopy } from "./stripe-rows";
import { idOf } from "./stripe-rows";
import { env } from "@/lib/env";
import { paymentFailedEmail, renewalReminderEmail } from "@/lib/mail/templates/billing-reminders";
import { mailTransport } from "@/lib/mail/transport";

/** How many failures of one invoice get a mail: the first, and the retry after it. */
const MAILED_ATTEMPTS = 2;

/** The invoice as fetched before the transaction (process-event.ts). */
export type FetchedInvoice = { copy: InvoiceCopy; attempt: InvoiceAttempt };

/** Records the mail once per key; false when the key was already recorded (a duplicate or replay). */
async function record(tx: Tx, key: string, userId: string, mail: BillingMailContent): Promise<boolean> {
  const content: BillingMailContent = { to: mail.to, subject: mail.subject, text: mail.text, html: mail.html };
  const recorded = await tx.insert(billingMails).values({ key, userId, content }).onConflictDoNothing().returning({ key: billingMails.key });
  return recorded.length === 1;
}

async function ownerOf(tx: Tx, subscriptionId: string) {
  const [row] = await tx
    .select({ sub: subscriptions, email: users.email })
    .from(subscriptions)
    .innerJoin(users, eq(users.id, subscriptions.userId))
    .where(eq(subscriptions.stripeSubscriptionId, subscriptionId));
  return row?.email ? { ...row, email: row.email } : null;
}

/** Records the event's billing mail, if any; how many rows it recorded (0 or 1). */
export async function recordBillingMails(tx: Tx, event: Stripe.Event, invoice: FetchedInvoice | undefined): Promise<number> {
  // Without a mail server (a bare development setup) nothing is recorded: a mail decided now and
  // sent whenever mail is configured later would be stale (a card long since fixed, a past date).
  if (!mailTransport()) return 0;
  if (event.type === "invoice.payment_failed" && invoice) return (await paymentFailed(tx, invoice)) ? 1 : 0;
  if (event.type === "invoice.upcoming") return (await upcoming(tx, event.data.object)) ? 1 : 0;
  return 0;
}

async function paymentFailed(tx: Tx, { copy: invoice, attempt }: FetchedInvoice): Promise<boolean> {
  const subscriptionId = invoice.stripeSubscriptionId;
  // Only renewals: a first payment fails on the Checkout page, in front of the reader.
  if (!subscriptionId || attempt.billingReason !== "subscription_cycle" || invoice.status !== "open") return false;
  if (attempt.attemptCount < 1 || attempt.attemptCount > MAILED_ATTEMPTS) return false;
  const owner = await ownerOf(tx, subscriptionId);
  if (!owner) return false;
  const { SITE_URL, SITE_NAME } = env();
  const mail = paymentFailedEmail({
    to: owner.email,
    siteName: SITE_NAME,
    amount: formatMoney(invoice.amountDue, invoice.currency),
    updateUrl: `${SITE_URL}/account/update-card?subscription=${subscriptionId}`,
    again: attempt.attemptCount > 1,
  });
  return record(tx, `payment_failed:${invoice.stripeInvoiceId}:${attempt.attemptCount}`, owner.sub.userId!, mail);
}

/** The preview names the subscription; our row (just pulled from Stripe) says what ends there. */
async function upcoming(tx: Tx, preview: Stripe.Invoice): Promise<boolean> {
  const subscriptionId = idOf(preview.parent?.subscription_details?.subscription);
  if (!subscriptionId) return false;
  const owner = await ownerOf(tx, subscriptionId);
  if (!owner) return false;
  const { sub } = owner;
  const renewal = new Date((preview.period_start ?? 0) * 1000);
  const trialEnds = sub.status === "trialing" && sub.trialEnd !== null && Math.abs(sub.trialEnd.getTime() - renewal.getTime()) < 60_000;
  // A repeating discount whose end comes at (or before) this renewal: the preview is already at full price.
  const discountEnds = sub.discountDuration === "repeating" && sub.discountEnd !== null && sub.discountEnd.getTime() <= renewal.getTime();
  if (!trialEnds && !discountEnds) return false;
  const when = trialEnds ? sub.trialEnd! : sub.discountEnd!;
  const key = `${trialEnds ? "trial" : "discount"}_ending:${subscriptionId}:${Math.floor(when.getTime() / 1000)}`;
  const { SITE_URL, SITE_NAME } = env();
  const [price] = await tx.select({ interval: planPrices.interval }).from(planPrices).where(eq(planPrices.stripePriceId, sub.stripePriceId));
  const mail = renewalReminderEmail({
    to: owner.email,
    siteName: SITE_NAME,
    what: trialEnds ? "trial" : "discount",
    date: billingDay(when, sub.clockOffsetSeconds),
    nextPrice: `${formatMoney(preview.amount_due, preview.currency)}${price ? ` / ${price.interval}` : ""}`,
    accountUrl: `${SITE_URL}/account`,
  });
  return record(tx, key, sub.userId!, mail);
}
