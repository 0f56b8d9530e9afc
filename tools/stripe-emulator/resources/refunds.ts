/**
 * /v1/refunds: create (against a charge or a PaymentIntent's charge; `amount` defaults to what
 * is left unrefunded), retrieve and list. As Stripe: a card refund succeeds at once in test
 * mode, the charge's `amount_refunded` grows (`refunded` once all of it is back), a charge with
 * nothing left refuses with `charge_already_refunded`, more than is left with
 * `amount_too_large`; `refund.created` and `charge.refunded` follow. The invoice is not
 * changed (Stripe changes an invoice only through a credit note).
 */
import type Stripe from "stripe";
import { z } from "zod";
import type { ApiHandler } from "../context";
import { invalidRequest } from "../errors";
import { emit } from "../events";
import { expand } from "../expand";
import { newId } from "../ids";
import { expandParam, intParam, listParams, metadataParam, nonEmptyString, parseParams, rangeParam, stringParam } from "../params";
import { render } from "../render";
import { listHandler, mustGet, retrieveHandler } from "./common";

const createSchema = z.strictObject({
  charge: nonEmptyString.optional(),
  payment_intent: nonEmptyString.optional(),
  amount: intParam.pipe(z.number().min(1, { error: "Invalid positive integer" })).optional(),
  reason: z.enum(["duplicate", "fraudulent", "requested_by_customer"]).optional(),
  metadata: metadataParam.optional(),
  expand: expandParam,
});

export const retrieve = retrieveHandler((state) => state.refunds, "refund");

export const list = listHandler(
  z.strictObject({ ...listParams, charge: stringParam.optional(), payment_intent: stringParam.optional(), created: rangeParam }),
  "refunds",
  { url: "/v1/refunds", kind: "refund" },
  { equal: ["charge", "payment_intent"] },
);

const dollars = (amount: number, currency: string) => `${currency === "usd" ? "$" : `${currency.toUpperCase()} `}${(amount / 100).toFixed(2)}`;

/** The charge a create names, directly or through its PaymentIntent. */
function chargeOf(em: Parameters<ApiHandler>[0], p: z.infer<typeof createSchema>): Stripe.Charge {
  const state = em.store.state;
  if (p.payment_intent !== undefined) {
    const intent = mustGet(state.payment_intents, p.payment_intent, "payment_intent", "payment_intent", 400);
    const latest = typeof intent.latest_charge === "string" ? intent.latest_charge : (intent.latest_charge?.id ?? null);
    if (intent.status !== "succeeded" || latest === null) {
      throw invalidRequest(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, "payment_intent", "charge_not_refundable");
    }
    if (p.charge !== undefined && p.charge !== latest) throw invalidRequest(`The charge ${p.charge} does not belong to the PaymentIntent ${intent.id}.`, "charge");
    return mustGet(state.charges, latest, "charge", "payment_intent", 400);
  }
  if (p.charge === undefined) throw invalidRequest("One of the following params should be provided for this request: payment_intent or charge.", undefined, "parameter_missing");
  return mustGet(state.charges, p.charge, "charge", "charge", 400);
}

export const create: ApiHandler = (em, { params }) => {
  const p = parseParams(createSchema, params);
  const charge = chargeOf(em, p);
  const left = charge.amount_captured - charge.amount_refunded;
  if (left <= 0) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, undefined, "charge_already_refunded");
  const amount = p.amount ?? left;
  if (amount > left) {
    throw invalidRequest(`Refund amount (${dollars(amount, charge.currency)}) is greater than unrefunded amount on charge (${dollars(left, charge.currency)})`, "amount", "amount_too_large");
  }
  const refund: Stripe.Refund = {
    id: newId("refund"),
    object: "refund",
    amount,
    balance_transaction: null,
    charge: charge.id,
    created: em.clock.now(),
    currency: charge.currency,
    customer: charge.customer,
    customer_account: null,
    destination_details: { type: "card", card: { reference_status: "pending", reference_type: "acquirer_reference_number", type: "refund" } },
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === "string")),
    payment_intent: charge.payment_intent,
    payment_method: charge.payment_method,
    reason: p.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  };
  em.store.state.refunds[refund.id] = refund;
  const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded >= charge.amount_captured;
  emit(em, "refund.created", render(em, refund));
  emit(em, "charge.refunded", render(em, charge), charge.refunded === previous.refunded ? { amount_refunded: previous.amount_refunded } : previous);
  em.store.changed();
  return expand(em, render(em, refund), p.expand);
};
