/**
 * Every kind of object the emulator returns, taken off the wire (no SDK parsing), conforms to
 * the stripe SDK's own type declarations (sdk-schema.ts): required fields, no unknown fields,
 * enum values. Also the fixes found that way: `ui_mode: "hosted_page"`, invoices'
 * `amount_paid_off_stripe` and `hosted_invoice_url` (with the page it points at), and
 * `GET /v1/products/search` as a search.
 */
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StripeEmulator } from "../../../tools/stripe-emulator/index";
import { CARDS, KEY, advanceDays, catalog, payCheckout, startEmulator, subscribe } from "./helpers";
import { loadSdkSchema, type SdkSchema } from "./sdk-schema";

let emulator: StripeEmulator;
let stripe: Stripe;
let schema: SdkSchema;
/** [object type name, what it is, the JSON as sent] */
const samples: Array<[string, string, unknown]> = [];

async function wire(path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${emulator.url}${path}`, { headers: { authorization: `Bearer ${KEY}` } });
  expect(response.status, path).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function collect(name: string, path: string): Promise<Record<string, unknown>> {
  const body = await wire(path);
  samples.push([name, `GET ${path}`, body]);
  return body;
}

beforeAll(async () => {
  schema = loadSdkSchema();
  ({ emulator, stripe } = await startEmulator({ dunning: { retryDays: 3, retries: 1, finalAction: "cancel" } }));
  const { monthly, yearly, product } = await catalog(stripe, "Schema Weekly");
  await stripe.products.update(product.id, { metadata: { plan: "weekly" } });
  const open = await stripe.checkout.sessions.create({
    mode: "subscription",
    ui_mode: "hosted_page",
    line_items: [{ price: yearly.id, quantity: 1 }],
    success_url: "http://app.test/ok",
    customer_email: "open@example.com",
  });
  const coupon = await stripe.coupons.create({ percent_off: 50, duration: "repeating", duration_in_months: 3, name: "Half off" });
  const code = await stripe.promotionCodes.create({ promotion: { type: "coupon", coupon: coupon.id }, code: "HALF", max_redemptions: 5, restrictions: { first_time_transaction: true } });
  const discounted = await stripe.checkout.sessions.create({
    mode: "subscription",
    line_items: [{ price: monthly.id, quantity: 1 }],
    discounts: [{ promotion_code: code.id }],
    subscription_data: { billing_mode: { type: "flexible" } },
    success_url: "http://app.test/ok",
    customer_email: "offer@example.com",
  });
  await payCheckout(discounted.url ?? "", CARDS.ok, "offer@example.com");
  const offer = (await stripe.checkout.sessions.retrieve(discounted.id)).subscription as string;
  await stripe.subscriptions.pause(offer);
  const { session, subscription } = await subscribe(stripe, monthly);
  const trial = await subscribe(stripe, monthly, { email: "trial@example.com", trialDays: 7 });
  const failing = await subscribe(stripe, monthly, { email: "late@example.com", card: CARDS.failsLater });
  // An invoice item, billed on a last invoice when the subscription ends at its period's end (tested in discounts.test.ts).
  const item = await stripe.invoiceItems.create({ customer: session.customer as string, subscription: subscription.id, amount: 300, currency: "eur", description: "Extra", discountable: false });
  await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
  await stripe.subscriptions.update(failing.subscription.id, { pause_collection: { behavior: "void", resumes_at: emulator.now() + 70 * 86_400 } });
  await stripe.subscriptions.cancel(trial.subscription.id);
  await advanceDays(emulator, 40);
  const customer = session.customer as string;
  // The money behind the first paid invoice, and a partial refund of it.
  const [payment] = (await stripe.invoicePayments.list({ invoice: subscription.latest_invoice as string })).data;
  await collect("invoice_payment", `/v1/invoice_payments/${payment!.id}`);
  const intent = await collect("payment_intent", `/v1/payment_intents/${payment!.payment.payment_intent as string}`);
  const refund = await stripe.refunds.create({ payment_intent: intent.id as string, amount: 100 });
  await collect("refund", `/v1/refunds/${refund.id}`);
  await collect("charge", `/v1/charges/${intent.latest_charge as string}`);
  await collect("customer", `/v1/customers/${customer}`);
  await collect("list", "/v1/customers?limit=3");
  await collect("customer_search_result", "/v1/customers/search?query=email%3A%27open%40example.com%27%20OR%20email%3A%27late%40example.com%27");
  await collect("product_search_result", `/v1/products/search?query=${encodeURIComponent("metadata['plan']:'weekly'")}`);
  await collect("product", `/v1/products/${product.id}`);
  await collect("coupon", `/v1/coupons/${coupon.id}`);
  await collect("invoiceitem", `/v1/invoiceitems/${item.id}`);
  await collect("promotion_code", `/v1/promotion_codes/${code.id}`);
  const withDiscount = await collect("subscription", `/v1/subscriptions/${offer}?expand[]=discounts`);
  samples.push(["discount", `discounts of ${offer}`, (withDiscount.discounts as unknown[])[0]]);
  await collect("price", `/v1/prices/${monthly.id}`);
  for (const id of [subscription.id, trial.subscription.id, failing.subscription.id]) {
    const body = await collect("subscription", `/v1/subscriptions/${id}`);
    samples.push(["subscription_item", `items of ${id}`, (body.items as { data: unknown[] }).data[0]]);
  }
  // One-off invoices as a publisher bills a firm (net 30): one paid out of band, one voided.
  for (const outcome of ["pay", "void"] as const) {
    const bill = await stripe.invoices.create({ customer, collection_method: "send_invoice", days_until_due: 30, currency: "eur", metadata: { licence: outcome } });
    await stripe.invoiceItems.create({ customer, invoice: bill.id, amount: 120_000, currency: "eur", description: "Licence: 10 seats" });
    await stripe.invoices.finalizeInvoice(bill.id);
    await stripe.invoices.sendInvoice(bill.id);
    if (outcome === "pay") await stripe.invoices.pay(bill.id, { paid_out_of_band: true });
    else await stripe.invoices.voidInvoice(bill.id);
  }
  for (const invoice of (await wire("/v1/invoices?limit=100")).data as Array<{ id: string }>) {
    await collect("invoice", `/v1/invoices/${invoice.id}`);
    for (const line of (await wire(`/v1/invoices/${invoice.id}/lines`)).data as unknown[]) samples.push(["line_item", `line of ${invoice.id}`, line]);
  }
  // A one-off payment (mode=payment, an inline price), paid and half refunded.
  const oneOff = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ price_data: { currency: "eur", unit_amount: 2700, product_data: { name: "Gift: 3 months" } }, quantity: 1 }],
    payment_intent_data: { metadata: { gift: "1" } },
    success_url: "http://app.test/ok",
    customer_email: "giver@example.com",
  });
  await payCheckout(oneOff.url ?? "", CARDS.ok, "giver@example.com");
  const oneOffIntent = await collect("payment_intent", `/v1/payment_intents/${(await stripe.checkout.sessions.retrieve(oneOff.id)).payment_intent as string}`);
  const oneOffRefund = await stripe.refunds.create({ payment_intent: oneOffIntent.id as string, amount: 1350 });
  await collect("refund", `/v1/refunds/${oneOffRefund.id}`);
  await collect("charge", `/v1/charges/${oneOffIntent.latest_charge as string}`);
  for (const id of [open.id, session.id, oneOff.id]) {
    await collect("checkout.session", `/v1/checkout/sessions/${id}`);
    for (const item of (await wire(`/v1/checkout/sessions/${id}/line_items`)).data as unknown[]) samples.push(["item", `line item of ${id}`, item]);
  }
  const portal = await stripe.billingPortal.sessions.create({ customer });
  samples.push(["billing_portal.session", "POST /v1/billing_portal/sessions", JSON.parse(JSON.stringify({ ...portal, lastResponse: undefined }))]);
  const restricted = await stripe.billingPortal.configurations.create({
    features: { subscription_update: { enabled: true, default_allowed_updates: ["price"], products: [{ product: product.id, prices: [monthly.id] }] } },
  });
  for (const id of [restricted.id, portal.configuration as string]) await collect("billing_portal.configuration", `/v1/billing_portal/configurations/${id}`);
  const endpoint = await stripe.webhookEndpoints.create({ url: "http://127.0.0.1:9/hook", enabled_events: ["*"] });
  await collect("webhook_endpoint", `/v1/webhook_endpoints/${endpoint.id}`);
  for (const event of (await wire("/v1/events?limit=100")).data as Array<{ id: string }>) await collect("event", `/v1/events/${event.id}`);
}, 120_000);

afterAll(async () => {
  await emulator.close();
});

describe("the emulator's objects conform to the stripe SDK's types", () => {
  it("covers every object type the emulator returns", () => {
    expect(new Set(samples.map(([name]) => name))).toEqual(new Set(schema.names));
  });

  it("each sample has the required fields, no unknown fields and only declared enum values", () => {
    const problems = samples.flatMap(([name, what, body]) => schema.check(name, body).map((p) => `${what}: ${p}`));
    expect(problems).toEqual([]);
  });

  it("the events cover the whole cycle", () => {
    const types = new Set(samples.filter(([name]) => name === "event").map(([, , body]) => (body as { type: string }).type));
    for (const type of [
      "checkout.session.completed",
      "customer.subscription.deleted",
      "customer.subscription.paused",
      "invoice.voided",
      "coupon.created",
      "promotion_code.created",
      "invoice.paid",
      "refund.created",
      "charge.refunded",
    ]) {
      expect(types).toContain(type);
    }
  });

  it("the validator catches what it is for", () => {
    const invoice = samples.find(([name]) => name === "invoice")?.[2] as Record<string, unknown>;
    const session = samples.find(([name]) => name === "checkout.session")?.[2] as Record<string, unknown>;
    const { amount_paid_off_stripe: _dropped, ...withoutOffStripe } = invoice;
    expect(schema.check("invoice", withoutOffStripe)).toEqual(["invoice.amount_paid_off_stripe: missing (required)"]);
    expect(schema.check("checkout.session", { ...session, ui_mode: "hosted" })[0]).toMatch(/ui_mode: "hosted" is not one of/);
    expect(schema.check("invoice", { ...invoice, made_up: 1 })).toEqual(["invoice.made_up: not a field of Invoice"]);
    expect(schema.check("invoice", { ...invoice, status: "done" })[0]).toMatch(/invoice.status: "done" is not one of/);
    expect(schema.check("invoice", { ...invoice, total: null })).toEqual(["invoice.total: null where the SDK declares number"]);
  });
});

describe("the fixes the validation found", () => {
  it("checkout sessions say ui_mode hosted_page and refuse the old hosted", async () => {
    const session = samples.find(([name]) => name === "checkout.session")?.[2] as { ui_mode: string };
    expect(session.ui_mode).toBe("hosted_page");
    const price = samples.find(([name]) => name === "price")?.[2] as Stripe.Price;
    const refused = await stripe.checkout.sessions
      .create({ mode: "subscription", ui_mode: "hosted" as never, line_items: [{ price: price.id, quantity: 1 }], success_url: "http://app.test/ok" })
      .catch((error: unknown) => error as Stripe.errors.StripeError);
    expect(refused).toMatchObject({ statusCode: 400, param: "ui_mode" });
  });

  it("finalized invoices carry amount_paid_off_stripe and a hosted_invoice_url that serves the invoice", async () => {
    const invoices = samples.filter(([name]) => name === "invoice").map(([, , body]) => body as Stripe.Invoice);
    expect(invoices.length).toBeGreaterThan(3);
    for (const invoice of invoices) {
      // Only the invoice marked paid out of band was paid outside Stripe.
      expect(invoice.amount_paid_off_stripe).toBe(invoice.metadata?.licence === "pay" ? invoice.total : 0);
      expect(invoice.hosted_invoice_url).toBe(`${emulator.url}/i/${invoice.id}`);
    }
    const paid = invoices.find((invoice) => invoice.status === "paid" && invoice.total > 0 && invoice.billing_reason === "subscription_create") as Stripe.Invoice;
    const page = await fetch(paid.hosted_invoice_url ?? "");
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain(`Invoice ${paid.number}`);
    expect(html).toContain("€9.00");
    expect(html).toContain("Paid");
    expect((await fetch(`${emulator.url}/i/in_unknown`)).status).toBe(404);
    const created = samples.find(([name, , body]) => name === "event" && (body as Stripe.Event).type === "invoice.created")?.[2] as Stripe.InvoiceCreatedEvent;
    expect(created.data.object.hosted_invoice_url).toBeNull();
  });

  it("GET /v1/products/search searches", async () => {
    const found = await stripe.products.search({ query: "name~'Schema' AND active:'true'" });
    expect(found.data.map((p) => p.name)).toEqual(["Schema Weekly"]);
    expect((await stripe.products.search({ query: "name:'Nothing'" })).data).toEqual([]);
    const bad = await stripe.products.search({ query: "colour:'red'" }).catch((error: unknown) => error as Stripe.errors.StripeError);
    expect(bad).toMatchObject({ statusCode: 400, param: "query" });
  });
});
