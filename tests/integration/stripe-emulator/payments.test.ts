/**
 * One-off payments as Stripe makes them: a `payment` mode Checkout session with an inline price
 * (`price_data`) or a one-time price; paid, it has a succeeded PaymentIntent and no customer
 * (a guest payment) unless `customer_creation=always`; a declined card pays nothing; refunds
 * return at most what was paid. Stripe's own refusals for mixing the modes.
 */
import { describe, expect, it } from "vitest";
import { CARDS, catalog, emulatorForFile, payCheckout } from "./helpers";

const { stripe } = emulatorForFile();

const oneOff = (amount = 2700, extra: Record<string, unknown> = {}) =>
  stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ price_data: { currency: "eur", unit_amount: amount, product_data: { name: "Gift: 3 months" } }, quantity: 1 }],
    payment_intent_data: { metadata: { gift: "7" }, description: "Gift" },
    success_url: "http://app.test/ok?session_id={CHECKOUT_SESSION_ID}",
    customer_email: "giver@example.com",
    ...extra,
  });

describe("payment mode checkout", () => {
  it("is paid once into a succeeded PaymentIntent, with the session's metadata and no customer", async () => {
    const session = await oneOff();
    expect(session).toMatchObject({ mode: "payment", amount_total: 2700, payment_status: "unpaid", customer_creation: "if_required", subscription: null });
    const paid = await payCheckout(session.url!, CARDS.ok, "giver@example.com");
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(`http://app.test/ok?session_id=${session.id}`);
    const done = await stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({ status: "complete", payment_status: "paid", customer: null, subscription: null, customer_details: { email: "giver@example.com" } });
    const intent = await stripe.paymentIntents.retrieve(done.payment_intent as string);
    expect(intent).toMatchObject({ status: "succeeded", amount: 2700, amount_received: 2700, currency: "eur", metadata: { gift: "7" }, description: "Gift", customer: null });
    const events = (await stripe.events.list({ limit: 20 })).data.map((e) => e.type);
    expect(events).toEqual(expect.arrayContaining(["checkout.session.completed", "payment_intent.succeeded"]));
    expect((await stripe.checkout.sessions.listLineItems(session.id)).data[0]).toMatchObject({ amount_total: 2700, price: { type: "one_time", active: false } });
  });

  it("a declined card pays nothing; customer_creation=always makes a customer", async () => {
    const session = await oneOff(500);
    await payCheckout(session.url!, CARDS.declined, "giver@example.com");
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "open", payment_status: "unpaid", payment_intent: null });
    const withCustomer = await oneOff(500, { customer_creation: "always" });
    await payCheckout(withCustomer.url!, CARDS.ok, "giver@example.com");
    const done = await stripe.checkout.sessions.retrieve(withCustomer.id);
    expect(done.customer).toMatch(/^cus_/);
    expect((await stripe.paymentIntents.retrieve(done.payment_intent as string)).customer).toBe(done.customer);
  });

  it("refunds return at most what was paid, in parts or whole", async () => {
    const session = await oneOff(1000);
    await payCheckout(session.url!, CARDS.ok);
    const intent = (await stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;
    expect(await stripe.refunds.create({ payment_intent: intent, amount: 400 })).toMatchObject({ amount: 400, status: "succeeded", payment_intent: intent });
    await expect(stripe.refunds.create({ payment_intent: intent, amount: 601 })).rejects.toMatchObject({ statusCode: 400, code: "amount_too_large" });
    expect(await stripe.refunds.create({ payment_intent: intent })).toMatchObject({ amount: 600 });
    await expect(stripe.refunds.create({ payment_intent: intent })).rejects.toMatchObject({ statusCode: 400, code: "charge_already_refunded" });
    await expect(stripe.refunds.create({ payment_intent: "pi_missing" })).rejects.toMatchObject({ statusCode: 400, code: "resource_missing" });
    const events = (await stripe.events.list({ type: "refund.created", limit: 10 })).data;
    expect(events.length).toBeGreaterThanOrEqual(2);
  });

  it("refuses what Stripe refuses: a recurring price in payment mode, subscription_data in payment mode, payment_intent_data in subscription mode", async () => {
    const { monthly } = await catalog(stripe, "Payments Weekly");
    const base = { success_url: "http://app.test/ok" };
    await expect(stripe.checkout.sessions.create({ ...base, mode: "payment", line_items: [{ price: monthly.id, quantity: 1 }] })).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/recurring price/),
    });
    await expect(
      stripe.checkout.sessions.create({ ...base, mode: "payment", line_items: [{ price_data: { currency: "eur", unit_amount: 100, product_data: { name: "x" } } }], subscription_data: { description: "x" } }),
    ).rejects.toMatchObject({ statusCode: 400, param: "subscription_data" });
    await expect(stripe.checkout.sessions.create({ ...base, mode: "subscription", line_items: [{ price: monthly.id }], payment_intent_data: { description: "x" } })).rejects.toMatchObject({
      statusCode: 400,
      param: "payment_intent_data",
    });
    await expect(stripe.checkout.sessions.create({ ...base, mode: "payment", line_items: [{ price_data: { currency: "eur", unit_amount: 100 } }] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(stripe.checkout.sessions.create({ ...base, mode: "setup" })).rejects.toMatchObject({ statusCode: 400, param: "mode" });
  });
});
