/**
 * Invoices for subscriptions: build one per period, finalize it, and charge the customer's
 * saved card (test-card behaviour decides). Each step emits the events Stripe sends.
 */
import type Stripe from "stripe";
import type { Emulator } from "./context";
import { emit } from "./events";
import { applyDiscounts, discountsInForce } from "./discounts";
import { newId } from "./ids";
import { recordInvoicePayment } from "./payments";
import { invoicePagePath } from "./pages/invoice-page";
import { decimal, render } from "./render";

export type BillingReason = "subscription_create" | "subscription_cycle" | "subscription_update" | "manual";

export function buildSubscriptionInvoice(
  em: Emulator,
  subscription: Stripe.Subscription,
  reason: BillingReason,
  period: { start: number; end: number },
  options: { zeroAmount?: boolean; preview?: boolean; pendingItemsOnly?: boolean } = {},
): Stripe.Invoice {
  const now = em.clock.now();
  const customerId = typeof subscription.customer === "string" ? subscription.customer : subscription.customer.id;
  const id = newId("invoice");
  const lines: Stripe.InvoiceLineItem[] = (options.pendingItemsOnly ? [] : subscription.items.data).map((item) => {
    const quantity = item.quantity ?? 1;
    const amount = options.zeroAmount ? 0 : (item.price.unit_amount ?? 0) * quantity;
    const productId = typeof item.price.product === "string" ? item.price.product : item.price.product.id;
    const productName = em.store.state.products[productId]?.name ?? "Subscription";
    return {
      id: newId("invoiceLine"),
      object: "line_item",
      amount,
      currency: item.price.currency,
      description: options.zeroAmount ? `Trial period for ${productName}` : `${quantity} × ${productName}`,
      discount_amounts: [],
      discountable: true,
      discounts: [],
      invoice: id,
      livemode: false,
      metadata: { ...subscription.metadata },
      parent: {
        type: "subscription_item_details",
        invoice_item_details: null,
        subscription_item_details: {
          invoice_item: null,
          proration: false,
          proration_details: { credited_items: null },
          subscription: subscription.id,
          subscription_item: item.id,
        },
      },
      period: { start: period.start, end: period.end },
      pretax_credit_amounts: [],
      pricing: {
        type: "price_details",
        price_details: { price: item.price.id, product: productId },
        unit_amount_decimal: options.zeroAmount ? decimal(0) : item.price.unit_amount_decimal,
      },
      quantity,
      quantity_decimal: decimal(quantity),
      subscription: subscription.id,
      subtotal: amount,
      taxes: [],
    };
  });
  lines.push(...pendingItemLines(em, subscription, id, options.preview ?? false));
  const invoice = invoiceObject(em, {
    id,
    customerId,
    currency: subscription.currency,
    lines,
    reason,
    collectionMethod: "charge_automatically",
    autoAdvance: true,
    description: null,
    metadata: {},
    parent: { type: "subscription_details", quote_details: null, subscription_details: { metadata: { ...subscription.metadata }, subscription: subscription.id } },
    period,
  });
  if (!options.zeroAmount && lines.some((line) => line.discountable)) applyDiscounts(em, invoice, discountsInForce(em, subscription, options.preview ? period.start : now));
  // A preview (invoice.upcoming) is what the next invoice will be; it is not kept.
  if (!options.preview) em.store.state.invoices[id] = invoice;
  return invoice;
}

/** What differs between a subscription's invoice and one made by POST /v1/invoices. */
interface InvoiceInit {
  id: string;
  customerId: string;
  currency: string;
  lines: Stripe.InvoiceLineItem[];
  reason: Stripe.Invoice.BillingReason;
  collectionMethod: Stripe.Invoice.CollectionMethod;
  autoAdvance: boolean;
  description: string | null;
  metadata: Stripe.Metadata;
  parent: Stripe.Invoice.Parent | null;
  period: { start: number; end: number };
}

/** A draft invoice with Stripe's every field. */
export function invoiceObject(em: Emulator, init: InvoiceInit): Stripe.Invoice {
  const now = em.clock.now();
  const { id, customerId, lines } = init;
  const customer = em.store.state.customers[customerId];
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  return {
    id,
    object: "invoice",
    account_country: "US",
    account_name: "Stripe emulator",
    account_tax_ids: null,
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_paid_off_stripe: 0,
    amount_remaining: total,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: init.autoAdvance,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: init.reason,
    collection_method: init.collectionMethod,
    created: now,
    currency: init.currency,
    custom_fields: null,
    customer: customerId,
    customer_account: null,
    customer_address: customer?.address ?? null,
    customer_email: customer?.email ?? null,
    customer_name: customer?.name ?? null,
    customer_phone: customer?.phone ?? null,
    customer_shipping: null,
    customer_tax_exempt: customer?.tax_exempt ?? "none",
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: init.description,
    discounts: [],
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: "self" },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: "list", data: lines, has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: { ...init.metadata },
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: init.parent,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: init.period.end,
    period_start: init.period.start,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: "draft",
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
}

/** Whether invoice items wait for the subscription's next invoice. */
export function hasPendingItems(em: Emulator, subscription: Stripe.Subscription): boolean {
  return Object.values(em.store.state.invoice_items).some((item) => item.invoice === null && item.parent?.subscription_details?.subscription === subscription.id);
}

/**
 * The subscription's pending invoice items, as lines of its next invoice (as Stripe pulls them
 * in); a real invoice (not a preview) takes them, so each is billed once.
 */
function pendingItemLines(em: Emulator, subscription: Stripe.Subscription, invoiceId: string, preview: boolean): Stripe.InvoiceLineItem[] {
  const pending = Object.values(em.store.state.invoice_items).filter((item) => item.invoice === null && item.parent?.subscription_details?.subscription === subscription.id);
  return pending.map((item) => {
    if (!preview) item.invoice = invoiceId;
    return itemLine(item, invoiceId, subscription.id);
  });
}

/** An invoice item as a line of the invoice that takes it (a subscription's, or a one-off's: null). */
export function itemLine(item: Stripe.InvoiceItem, invoiceId: string, subscription: string | null): Stripe.InvoiceLineItem {
  return {
    id: newId("invoiceLine"),
    object: "line_item",
    amount: item.amount,
    currency: item.currency,
    description: item.description,
    discount_amounts: [],
    discountable: item.discountable,
    discounts: [],
    invoice: invoiceId,
    livemode: false,
    metadata: { ...item.metadata },
    parent: {
      type: "invoice_item_details",
      invoice_item_details: { invoice_item: item.id, proration: false, proration_details: { credited_items: null }, subscription },
      subscription_item_details: null,
    },
    period: { ...item.period },
    pretax_credit_amounts: [],
    pricing: null,
    quantity: 1,
    quantity_decimal: decimal(1),
    subscription,
    subtotal: item.amount,
    taxes: [],
  };
}

/** The next invoice number of the customer (`PREFIX-0001`), assigned at finalization. */
function takeInvoiceNumber(em: Emulator, invoice: Stripe.Invoice): string | null {
  const customer = typeof invoice.customer === "string" ? em.store.state.customers[invoice.customer] : undefined;
  if (!customer) return null;
  const sequence = customer.next_invoice_sequence ?? 1;
  customer.next_invoice_sequence = sequence + 1;
  return `${customer.invoice_prefix ?? "EMU"}-${String(sequence).padStart(4, "0")}`;
}

/** Emits invoice.created (draft), then finalizes it (open) and emits invoice.finalized. */
export function createAndFinalize(em: Emulator, invoice: Stripe.Invoice): void {
  emit(em, "invoice.created", render(em, invoice));
  finalizeDraft(em, invoice);
}

/** A draft becomes open, with its number and hosted page; emits invoice.finalized. */
export function finalizeDraft(em: Emulator, invoice: Stripe.Invoice): void {
  const now = em.clock.now();
  invoice.status = "open";
  invoice.number = takeInvoiceNumber(em, invoice);
  invoice.effective_at = now;
  invoice.status_transitions.finalized_at = now;
  invoice.hosted_invoice_url = `${em.baseUrl}${invoicePagePath(invoice.id)}`;
  emit(em, "invoice.finalized", render(em, invoice));
  em.store.changed();
}

export function markPaid(em: Emulator, invoice: Stripe.Invoice, paymentMethod: string | null): void {
  const now = em.clock.now();
  invoice.status = "paid";
  invoice.amount_paid = invoice.amount_due;
  if (invoice.amount_paid > 0) recordInvoicePayment(em, invoice, paymentMethod);
  invoice.amount_remaining = 0;
  invoice.next_payment_attempt = null;
  invoice.ending_balance = 0;
  invoice.status_transitions.paid_at = now;
  invoice.webhooks_delivered_at = now;
  emit(em, "invoice.paid", render(em, invoice));
  emit(em, "invoice.payment_succeeded", render(em, invoice));
  em.store.changed();
}

/**
 * Charges an open invoice. `onSession` is the checkout page's own charge (test card 0341 pays
 * there); otherwise the saved card's behaviour decides. Returns whether the invoice is paid.
 * On failure `nextAttemptAt` is recorded before invoice.payment_failed goes out.
 */
export function chargeInvoice(
  em: Emulator,
  invoice: Stripe.Invoice,
  options: { onSession: boolean; nextAttemptAt: number | null },
): boolean {
  if (invoice.amount_due === 0) {
    markPaid(em, invoice, null);
    return true;
  }
  const customerId = typeof invoice.customer === "string" ? invoice.customer : (invoice.customer?.id ?? "");
  const card = em.store.state.cards[customerId];
  invoice.attempted = true;
  invoice.attempt_count += 1;
  const succeeds = card !== undefined && (options.onSession || card.behavior === "succeed");
  if (card) card.charges += 1;
  if (succeeds) {
    markPaid(em, invoice, card?.payment_method ?? null);
    return true;
  }
  invoice.next_payment_attempt = options.nextAttemptAt;
  emit(em, "invoice.payment_failed", render(em, invoice));
  em.store.changed();
  return false;
}
