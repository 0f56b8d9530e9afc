import "server-only";
import type Stripe from "stripe";
import { and, eq, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { cancellations, grants, offers, planPrices, plans, stripeCustomers, subscriptions, users, withdrawals, type Grant } from "@/db/schema";
import { normalizeEmail } from "@/lib/auth/email-address";
import { readStripeForAudit } from "@/lib/billing/audit-reads";
import { idOf } from "@/lib/billing/stripe-rows";
import type { Ledger, LedgerSubscription, SaveOfferTaken } from "./ledger";

const discountIds = (list: unknown): string[] =>
  Array.isArray(list) ? list.map((d) => (typeof d === "string" ? d : (d as { id?: string })?.id)).filter((d): d is string => !!d) : [];

/**
 * Save offers taken, per subscription, from Stripe's updates: pause_collection set where it was
 * unset, or a discount id that was not there before (a spent discount leaving is no offer).
 */
function saveOffersFrom(events: Stripe.Event[]): Map<string, SaveOfferTaken[]> {
  const taken = new Map<string, SaveOfferTaken[]>();
  const add = (id: string, offer: SaveOfferTaken) => taken.set(id, [...(taken.get(id) ?? []), offer]);
  for (const event of events) {
    const previous = event.data.previous_attributes as Record<string, unknown> | undefined;
    const object = event.data.object as Stripe.Subscription;
    if (!previous) continue;
    if ("pause_collection" in previous && previous.pause_collection === null && object.pause_collection !== null) {
      add(object.id, { kind: "pause", at: event.created, discount: null });
    }
    if ("discounts" in previous) {
      const before = new Set(discountIds(previous.discounts));
      for (const id of discountIds(object.discounts)) if (!before.has(id)) add(object.id, { kind: "discount", at: event.created, discount: id });
    }
  }
  for (const list of taken.values()) list.sort((a, b) => a.at - b.at);
  return taken;
}

/**
 * Reads our rows and Stripe's objects (lib/billing/audit-reads.ts: the real API or the emulator,
 * through the app's own client). Stripe's lists are read whole: subscriptions of every status, invoices,
 * customers, pending invoice items and subscription updates (the pauses; Stripe keeps events for 30 days).
 */
export async function gatherLedger(db: Db, at: Date, graceDays: number): Promise<Ledger> {
  const [rows, grantRows, offerRows, priceRows, planRows, customerLinks, userRows, withdrawalRows, fromStripe] = await Promise.all([
    db.select().from(subscriptions),
    db.select().from(grants),
    db.select().from(offers),
    db.select({ priceId: planPrices.stripePriceId, planId: planPrices.planId }).from(planPrices),
    db.select({ id: plans.id, priceId: plans.stripePriceId, trialDays: plans.trialDays }).from(plans),
    db.select().from(stripeCustomers),
    db.select({ id: users.id, email: users.email }).from(users),
    db
      .select({ id: withdrawals.stripeSubscriptionId })
      .from(withdrawals)
      // An account deleted by its owner ended the subscription at once: the owner gave up the rest of the period.
      .union(db.select({ id: cancellations.stripeSubscriptionId }).from(cancellations).where(and(eq(cancellations.atOnce, true), ne(cancellations.state, "failed")))),
    readStripeForAudit(),
  ]);
  const { subscriptions: stripeSubs, invoices: stripeInvoices, customers, subscriptionUpdates: updates, pendingInvoiceItems: pendingItems } = fromStripe;

  const rowById = new Map(rows.map((r) => [r.stripeSubscriptionId, r]));
  const withdrawn = new Set(withdrawalRows.map((w) => w.id));
  const userOfCustomer = new Map(customerLinks.map((c) => [c.stripeCustomerId, c.userId]));
  const emailOfCustomer = new Map(customers.map((c) => [c.id, c.email]));
  const accountLabels = new Map(userRows.map((u) => [u.id, u.email ?? u.id]));
  const invoicesBySub = new Map<string, Stripe.Invoice[]>();
  for (const invoice of stripeInvoices) {
    const sub = idOf(invoice.parent?.subscription_details?.subscription);
    if (sub) invoicesBySub.set(sub, [...(invoicesBySub.get(sub) ?? []), invoice]);
  }
  for (const list of invoicesBySub.values()) list.sort((a, b) => a.created - b.created || (a.period_start ?? 0) - (b.period_start ?? 0));
  const saveOffers = saveOffersFrom(updates);
  const pendingBySub = new Map<string, number>();
  for (const item of pendingItems) {
    const sub = idOf(item.parent?.subscription_details?.subscription);
    if (sub) pendingBySub.set(sub, (pendingBySub.get(sub) ?? 0) + item.amount);
  }
  const largestOffset = Math.max(0, ...rows.map((r) => r.clockOffsetSeconds));

  // Stripe lists newest first: reversed, subscriptions made in the same second keep their order under stable sorts by `created`.
  const ledgerSubs: LedgerSubscription[] = stripeSubs.reverse().map((sub) => {
    const row = rowById.get(sub.id) ?? null;
    const customer = idOf(sub.customer)!;
    const email = emailOfCustomer.get(customer);
    const account = row?.userId ?? userOfCustomer.get(customer) ?? (email ? `email:${normalizeEmail(email)}` : `customer:${customer}`);
    if (!accountLabels.has(account)) accountLabels.set(account, email ?? account);
    return {
      stripe: sub,
      row,
      invoices: invoicesBySub.get(sub.id) ?? [],
      saveOffers: saveOffers.get(sub.id) ?? [],
      pendingItems: pendingBySub.get(sub.id) ?? 0,
      withdrawn: withdrawn.has(sub.id),
      account,
      offsetSeconds: row?.clockOffsetSeconds ?? largestOffset,
    };
  });

  const grantsByUser = new Map<string, Grant[]>();
  for (const g of grantRows) grantsByUser.set(g.userId, [...(grantsByUser.get(g.userId) ?? []), g]);
  const planForPrice = new Map(priceRows.map((p) => [p.priceId, p.planId]));
  for (const p of planRows) if (p.priceId && !planForPrice.has(p.priceId)) planForPrice.set(p.priceId, p.id);
  return {
    at,
    graceDays,
    subscriptions: ledgerSubs,
    grants: grantsByUser,
    offers: offerRows,
    planForPrice,
    planTrialDays: new Map(planRows.map((p) => [p.id, p.trialDays])),
    linkedCustomers: new Set(customerLinks.map((c) => c.stripeCustomerId)),
    accountLabels,
  };
}
