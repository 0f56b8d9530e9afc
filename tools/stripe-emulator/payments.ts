/**
 * The money behind a paid invoice, as Stripe keeps it: a PaymentIntent, its Charge, and the
 * InvoicePayment that ties them to the invoice (since API 2025-03-31 an invoice names its
 * payments only through `invoice_payments`). Refunds are made against the charge (refunds.ts).
 */
import type Stripe from "stripe";
import type { Emulator } from "./context";
import { newId } from "./ids";

/** Records the payment of `invoice` (called when it is marked paid with money taken). */
export function recordInvoicePayment(em: Emulator, invoice: Stripe.Invoice, paymentMethod: string | null): void {
  const now = em.clock.now();
  const customer = typeof invoice.customer === "string" ? invoice.customer : (invoice.customer?.id ?? null);
  const paymentIntentId = newId("paymentIntent");
  const chargeId = newId("charge");
  const charge: Stripe.Charge = {
    id: chargeId,
    object: "charge",
    amount: invoice.amount_paid,
    amount_captured: invoice.amount_paid,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: { address: null, email: invoice.customer_email, name: invoice.customer_name, phone: null, tax_id: null },
    calculated_statement_descriptor: "EMULATOR",
    captured: true,
    created: now,
    currency: invoice.currency,
    customer,
    description: "Subscription update",
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: {},
    on_behalf_of: null,
    outcome: null,
    paid: true,
    payment_intent: paymentIntentId,
    payment_method: paymentMethod,
    payment_method_details: null,
    receipt_email: null,
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
    amount: invoice.amount_paid,
    amount_capturable: 0,
    amount_received: invoice.amount_paid,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic",
    client_secret: `${paymentIntentId}_secret_emulator`,
    confirmation_method: "automatic",
    created: now,
    currency: invoice.currency,
    customer,
    customer_account: null,
    description: "Subscription update",
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: chargeId,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ["card"],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: "succeeded",
    transfer_group: null,
  };
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
    payment: { type: "payment_intent", payment_intent: paymentIntentId },
    status: "paid",
    status_transitions: { canceled_at: null, paid_at: now },
  };
  const state = em.store.state;
  state.charges[charge.id] = charge;
  state.payment_intents[paymentIntent.id] = paymentIntent;
  state.invoice_payments[invoicePayment.id] = invoicePayment;
}
