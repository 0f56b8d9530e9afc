/**
 * Money taken, as Stripe keeps it: a PaymentIntent and its Charge, made the same way for a paid
 * invoice and for a `payment` mode Checkout session. A paid invoice also gets the InvoicePayment
 * that ties them to it (since API 2025-03-31 an invoice names its payments only through
 * `invoice_payments`). Refunds are made against the charge (resources/refunds.ts).
 */
import type Stripe from "stripe";
import type { Emulator } from "./context";
import { emit } from "./events";
import { newId } from "./ids";
import { render } from "./render";

export interface PaymentInput {
  amount: number;
  currency: string;
  customer: string | null;
  paymentMethod: string | null;
  description: string | null;
  metadata: Record<string, string>;
  /** The payer's email and name as the charge's billing details keep them. */
  email: string | null;
  name: string | null;
  /** Where Stripe mails the receipt (Checkout sets it to the payer's email; invoices do not). */
  receiptEmail: string | null;
}

/** A succeeded PaymentIntent with its captured Charge, stored. */
export function recordPayment(em: Emulator, input: PaymentInput): { paymentIntent: Stripe.PaymentIntent; charge: Stripe.Charge } {
  const now = em.clock.now();
  const { amount, currency, customer, description, metadata } = input;
  const paymentMethod = input.paymentMethod;
  const paymentIntentId = newId("paymentIntent");
  const chargeId = newId("charge");
  const charge: Stripe.Charge = {
    id: chargeId,
    object: "charge",
    amount,
    amount_captured: amount,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: { address: null, email: input.email, name: input.name, phone: null, tax_id: null },
    calculated_statement_descriptor: "EMULATOR",
    captured: true,
    created: now,
    currency,
    customer,
    description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: { ...metadata },
    on_behalf_of: null,
    outcome: null,
    paid: true,
    payment_intent: paymentIntentId,
    payment_method: paymentMethod,
    payment_method_details: null,
    receipt_email: input.receiptEmail,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: "succeeded",
    transfer_data: null,
    transfer_group: null,
  };
  const paymentIntent: Stripe.PaymentIntent = {
    id: paymentIntentId,
    object: "payment_intent",
    allowed_payment_method_types: null,
    amount,
    amount_capturable: 0,
    amount_received: amount,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic",
    client_secret: `${paymentIntentId}_secret_emulator`,
    confirmation_method: "automatic",
    created: now,
    currency,
    customer,
    customer_account: null,
    description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: chargeId,
    livemode: false,
    managed_payments: null,
    metadata: { ...metadata },
    next_action: null,
    on_behalf_of: null,
    payment_method: paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ["card"],
    payment_record: null,
    processing: null,
    receipt_email: input.receiptEmail,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: "succeeded",
    transfer_group: null,
  };
  const state = em.store.state;
  state.charges[charge.id] = charge;
  state.payment_intents[paymentIntent.id] = paymentIntent;
  return { paymentIntent, charge };
}

/** Records the payment of `invoice` (called when it is marked paid with money taken). */
export function recordInvoicePayment(em: Emulator, invoice: Stripe.Invoice, paymentMethod: string | null): void {
  const now = em.clock.now();
  const customer = typeof invoice.customer === "string" ? invoice.customer : (invoice.customer?.id ?? null);
  const { paymentIntent } = recordPayment(em, {
    amount: invoice.amount_paid,
    currency: invoice.currency,
    customer,
    paymentMethod,
    description: "Subscription update",
    metadata: {},
    email: invoice.customer_email,
    name: invoice.customer_name,
    receiptEmail: null,
  });
  const invoicePayment: Stripe.InvoicePayment = {
    id: newId("invoicePayment"),
    object: "invoice_payment",
    amount_paid: invoice.amount_paid,
    amount_requested: invoice.amount_due,
    created: now,
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: false,
    payment: { type: "payment_intent", payment_intent: paymentIntent.id },
    status: "paid",
    status_transitions: { canceled_at: null, paid_at: now },
  };
  em.store.state.invoice_payments[invoicePayment.id] = invoicePayment;
}

/**
 * A `payment` mode Checkout session's payment (the card is not saved: no customer unless one was
 * given or made), and `payment_intent.succeeded` as Stripe sends it.
 */
export function recordCheckoutPayment(em: Emulator, input: Omit<PaymentInput, "paymentMethod" | "name" | "receiptEmail"> & { email: string }): Stripe.PaymentIntent {
  const { paymentIntent, charge } = recordPayment(em, { ...input, paymentMethod: newId("paymentMethod"), name: null, receiptEmail: input.email });
  emit(em, "charge.succeeded", render(em, charge));
  emit(em, "payment_intent.succeeded", render(em, paymentIntent));
  return paymentIntent;
}
