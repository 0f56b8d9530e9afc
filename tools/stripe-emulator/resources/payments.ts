/**
 * One-off payments: what a `payment` mode checkout session makes when it is paid (a
 * PaymentIntent that succeeded, with its charge), GET /v1/payment_intents/:id, and
 * POST /v1/refunds (a refund of a payment intent's charge, whole or in part, at once).
 */
import type Stripe from "stripe";
import { z } from "zod";
import type { ApiHandler, Emulator } from "../context";
import { emit } from "../events";
import { expand } from "../expand";
import { newId } from "../ids";
import { invalidRequest } from "../errors";
import { expandParam, initialMetadata, intParam, metadataParam, nonEmptyString, parseParams } from "../params";
import { render } from "../render";
import { mustGet, retrieveHandler } from "./common";

/** A paid PaymentIntent for `amount`, as Checkout leaves it (the card is not saved: no customer unless one was given). */
export function createPaidIntent(
  em: Emulator,
  input: { amount: number; currency: string; customer: string | null; metadata: Record<string, string>; description: string | null; email: string },
): Stripe.PaymentIntent {
  const now = em.clock.now();
  const id = newId("paymentIntent");
  const intent = {
    id,
    object: "payment_intent",
    amount: input.amount,
    allowed_payment_method_types: null,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: input.amount,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic_async",
    client_secret: `${id}_secret_${newId("request").slice(4)}`,
    confirmation_method: "automatic",
    created: now,
    currency: input.currency,
    customer: input.customer,
    customer_account: null,
    description: input.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: newId("charge"),
    livemode: false,
    managed_payments: null,
    metadata: input.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: newId("paymentMethod"),
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ["card"],
    payment_record: null,
    processing: null,
    receipt_email: input.email,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: "succeeded",
    transfer_data: null,
    transfer_group: null,
  } as unknown as Stripe.PaymentIntent;
  em.store.state.payment_intents[id] = intent;
  emit(em, "payment_intent.succeeded", render(em, intent));
  return intent;
}

export const retrieveIntent = retrieveHandler((state) => state.payment_intents, "payment_intent");
export const retrieveRefund = retrieveHandler((state) => state.refunds, "refund");

const refundSchema = z.strictObject({
  payment_intent: nonEmptyString.optional(),
  charge: nonEmptyString.optional(),
  amount: intParam.pipe(z.number().min(1)).optional(),
  reason: z.enum(["duplicate", "fraudulent", "requested_by_customer"]).optional(),
  metadata: metadataParam.optional(),
  expand: expandParam,
});

/** The amount of an intent's charge already refunded. */
function refunded(em: Emulator, intentId: string): number {
  return Object.values(em.store.state.refunds)
    .filter((r) => r.payment_intent === intentId && r.status === "succeeded")
    .reduce((sum, r) => sum + r.amount, 0);
}

export const createRefund: ApiHandler = (em, { params }) => {
  const p = parseParams(refundSchema, params);
  const state = em.store.state;
  if (p.payment_intent === undefined && p.charge === undefined) {
    throw invalidRequest("One of the following params should be provided for this request: payment_intent or charge.", "payment_intent", "parameter_missing");
  }
  const intent = p.payment_intent !== undefined
    ? mustGet(state.payment_intents, p.payment_intent, "payment_intent", "payment_intent", 400)
    : Object.values(state.payment_intents).find((i) => i.latest_charge === p.charge);
  if (!intent) throw invalidRequest(`No such charge: '${p.charge}'`, "charge", "resource_missing");
  const charge = typeof intent.latest_charge === "string" ? intent.latest_charge : (intent.latest_charge?.id ?? "");
  const left = intent.amount_received - refunded(em, intent.id);
  if (left <= 0) throw invalidRequest(`Charge ${charge} has already been refunded.`, undefined, "charge_already_refunded");
  const amount = p.amount ?? left;
  if (amount > left) {
    throw invalidRequest(`Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, "amount", "amount_too_large");
  }
  const refund = {
    id: newId("refund"),
    object: "refund",
    amount,
    balance_transaction: null,
    charge,
    created: em.clock.now(),
    currency: intent.currency,
    customer: intent.customer,
    customer_account: null,
    metadata: initialMetadata(p.metadata),
    payment_intent: intent.id,
    payment_method: intent.payment_method,
    reason: p.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  } as unknown as Stripe.Refund;
  state.refunds[refund.id] = refund;
  emit(em, "refund.created", render(em, refund));
  em.store.changed();
  return expand(em, render(em, refund), p.expand);
};
