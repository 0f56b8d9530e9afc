import type Stripe from "stripe";
import type { Grant, Offer, SubscriptionRow } from "@/db/schema";

/**
 * Everything the audit judges, gathered once (gather.ts) and then checked without I/O
 * (checks.ts): Stripe's subscriptions and invoices beside our rows, offers, grants and plans.
 */
export interface SaveOfferTaken {
  kind: "pause" | "discount";
  at: number;
  /** The discount added (`di_…`), for a discount. */
  discount: string | null;
}

export interface LedgerSubscription {
  /** Stripe's object, `discounts` expanded. */
  stripe: Stripe.Subscription;
  /** Our copy, or null when Stripe has a subscription we never recorded. */
  row: SubscriptionRow | null;
  /** Stripe's invoices of this subscription, oldest first, `discounts` expanded. */
  invoices: Stripe.Invoice[];
  /**
   * Save offers taken on the running subscription, from Stripe's customer.subscription.updated
   * events: a pause_collection set, or a discount added after Checkout (Stripe's clock, unix seconds).
   */
  saveOffers: SaveOfferTaken[];
  /** What its invoice items not yet on an invoice add up to (cents): billed on its next invoice, or when it ends at a period's end. */
  pendingItems: number;
  /** The reader withdrew from it within 14 days (EU), or ended it at once by deleting the account: the paid days after that were given back (by the refund, or by the owner). */
  withdrawn: boolean;
  /** Who reads with it: our user id, else the customer's lower-cased email, else the customer. */
  account: string;
  /** How far Stripe's clock runs ahead of ours for it (seconds). */
  offsetSeconds: number;
}

export interface Ledger {
  /** The moment judged, on our clock. */
  at: Date;
  graceDays: number;
  /** Oldest first, as Stripe made them. */
  subscriptions: LedgerSubscription[];
  /** Admin grants by user id. */
  grants: Map<string, Grant[]>;
  offers: Offer[];
  /** Stripe price id → our plan id (current and archived prices). */
  planForPrice: Map<string, number>;
  /** Our plans' trial days by plan id. */
  planTrialDays: Map<number, number>;
  /** Stripe customers linked to one of our accounts. */
  linkedCustomers: Set<string>;
  /** Account id → what the report calls it (the email when known). */
  accountLabels: Map<string, string>;
}
