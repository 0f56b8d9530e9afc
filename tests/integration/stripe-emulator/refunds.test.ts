/**
 * Refunds in the emulator, through the real stripe SDK, as Stripe's API reference has them: a
 * paid invoice's money is a PaymentIntent and a Charge reached through `invoice_payments`; a
 * refund names the PaymentIntent or the charge, `amount` defaults to what is left, partial
 * refunds add up on the charge's `amount_refunded` until `refunded`; more than is left, or a
 * charge refunded in full, is refused with Stripe's codes; `refund.created` and
 * `charge.refunded` are sent; a replayed idempotency key makes no second refund; the invoice
 * itself is not changed.
 */
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { catalog, CARDS, emulatorForFile, subscribe, waitFor } from "./helpers";

const { stripe } = emulatorForFile();

async function refused(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const error = await promise.then(
    () => new Error("expected the request to fail"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  return error as Stripe.errors.StripeError;
}

async function paidSubscription(email: string) {
  const { monthly } = await catalog(stripe, `Refunds ${email}`);
  const { subscription } = await subscribe(stripe, monthly, { email, card: CARDS.ok });
  const invoiceId = subscription.latest_invoice as string;
  const [payment] = (await stripe.invoicePayments.list({ invoice: invoiceId })).data;
  const intent = await stripe.paymentIntents.retrieve(payment!.payment.payment_intent as string);
  return { subscription, invoiceId, payment: payment!, intent, chargeId: intent.latest_charge as string };
}

describe("the money behind a paid invoice", () => {
  it("is a succeeded PaymentIntent and Charge for the amount paid, reached through invoice_payments", async () => {
    const { invoiceId, payment, intent, chargeId } = await paidSubscription("paid@example.com");
    const invoice = await stripe.invoices.retrieve(invoiceId);
    expect(payment).toMatchObject({ object: "invoice_payment", invoice: invoiceId, is_default: true, status: "paid", amount_paid: invoice.amount_paid, payment: { type: "payment_intent" } });
    expect(intent).toMatchObject({ object: "payment_intent", status: "succeeded", amount: invoice.amount_paid, amount_received: invoice.amount_paid, customer: invoice.customer });
    const charge = await stripe.charges.retrieve(chargeId);
    expect(charge).toMatchObject({ object: "charge", status: "succeeded", paid: true, captured: true, amount: invoice.amount_paid, amount_refunded: 0, refunded: false, payment_intent: intent.id });
    expect((await stripe.charges.list({ payment_intent: intent.id })).data.map((c) => c.id)).toEqual([chargeId]);
  });

  it("a trial's zero invoice has no payment", async () => {
    const { monthly } = await catalog(stripe, "Refunds trial");
    const { subscription } = await subscribe(stripe, monthly, { email: "trial@example.com", trialDays: 7 });
    expect((await stripe.invoicePayments.list({ invoice: subscription.latest_invoice as string })).data).toEqual([]);
  });
});

describe("POST /v1/refunds", () => {
  it("partial refunds add up on the charge until all of it is back; then the charge refuses more", async () => {
    const { intent, chargeId, invoiceId } = await paidSubscription("partial@example.com");
    const first = await stripe.refunds.create({ payment_intent: intent.id, amount: 300, reason: "requested_by_customer", metadata: { why: "test" } });
    expect(first).toMatchObject({ object: "refund", amount: 300, currency: intent.currency, status: "succeeded", charge: chargeId, payment_intent: intent.id, reason: "requested_by_customer", metadata: { why: "test" } });
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({ amount_refunded: 300, refunded: false });

    const tooMuch = await refused(stripe.refunds.create({ charge: chargeId, amount: intent.amount }));
    expect(tooMuch).toMatchObject({ statusCode: 400, code: "amount_too_large", param: "amount" });
    expect(tooMuch.message).toMatch(/greater than unrefunded amount on charge/);

    // No amount: the rest.
    const rest = await stripe.refunds.create({ charge: chargeId });
    expect(rest.amount).toBe(intent.amount - 300);
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({ amount_refunded: intent.amount, refunded: true });
    expect(await refused(stripe.refunds.create({ payment_intent: intent.id }))).toMatchObject({ statusCode: 400, code: "charge_already_refunded" });

    expect((await stripe.refunds.list({ payment_intent: intent.id })).data.map((r) => r.id)).toEqual([rest.id, first.id]);
    expect((await stripe.refunds.list({ charge: chargeId })).data).toHaveLength(2);
    expect(await stripe.refunds.retrieve(first.id)).toMatchObject({ id: first.id, amount: 300 });
    // Stripe changes an invoice only through a credit note: it stays paid, as it was.
    expect(await stripe.invoices.retrieve(invoiceId)).toMatchObject({ status: "paid", amount_paid: intent.amount });
  });

  it("sends refund.created and charge.refunded with what changed", async () => {
    const { intent, chargeId } = await paidSubscription("events@example.com");
    const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 100 });
    const events = await waitFor(async () => {
      const list = (await stripe.events.list({ limit: 10 })).data.filter((e) => e.type === "refund.created" || e.type === "charge.refunded");
      return list.length >= 2 ? list : null;
    }, "the refund's events");
    const created = events.find((e) => e.type === "refund.created")!;
    const refunded = events.find((e) => e.type === "charge.refunded")!;
    expect(created.data.object).toMatchObject({ id: refund.id, amount: 100 });
    expect(refunded.data.object).toMatchObject({ id: chargeId, amount_refunded: 100, refunded: false });
    expect(refunded.data.previous_attributes).toEqual({ amount_refunded: 0 });
  });

  it("a replayed idempotency key returns the same refund and refunds nothing more", async () => {
    const { intent, chargeId } = await paidSubscription("replay@example.com");
    const once = await stripe.refunds.create({ payment_intent: intent.id, amount: 200 }, { idempotencyKey: "withdrawal-7" });
    const again = await stripe.refunds.create({ payment_intent: intent.id, amount: 200 }, { idempotencyKey: "withdrawal-7" });
    expect(again.id).toBe(once.id);
    expect((await stripe.charges.retrieve(chargeId)).amount_refunded).toBe(200);
    expect((await stripe.refunds.list({ charge: chargeId })).data).toHaveLength(1);
  });

  it("refuses a request that names nothing, something unknown, or an amount that is not a positive integer", async () => {
    const { intent, chargeId } = await paidSubscription("bad@example.com");
    expect(await refused(stripe.refunds.create({}))).toMatchObject({ statusCode: 400, code: "parameter_missing" });
    expect(await refused(stripe.refunds.create({ payment_intent: "pi_missing" }))).toMatchObject({ statusCode: 400, code: "resource_missing", param: "payment_intent" });
    expect(await refused(stripe.refunds.create({ charge: "ch_missing" }))).toMatchObject({ statusCode: 400, code: "resource_missing", param: "charge" });
    expect(await refused(stripe.refunds.create({ payment_intent: intent.id, amount: 0 }))).toMatchObject({ statusCode: 400, param: "amount" });
    expect(await refused(stripe.refunds.create({ payment_intent: intent.id, amount: -5 }))).toMatchObject({ statusCode: 400, param: "amount" });
    expect(await refused(stripe.refunds.create({ payment_intent: intent.id, reason: "bored" as "duplicate" }))).toMatchObject({ statusCode: 400, param: "reason" });
    expect((await stripe.charges.retrieve(chargeId)).amount_refunded).toBe(0);
  });
});
