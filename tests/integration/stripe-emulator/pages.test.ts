/** The hosted checkout and billing portal pages, driven with plain HTTP form posts. */
import type Stripe from "stripe";
import { beforeAll, describe, expect, it } from "vitest";
import { CARDS, catalog, payCheckout, emulatorForFile, subscribe } from "./helpers";

const { emulator, stripe } = emulatorForFile();
let prices: Awaited<ReturnType<typeof catalog>>;

beforeAll(async () => {
  prices = await catalog(stripe, "Masthead Digital");
});

async function newSession(extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  return stripe.checkout.sessions.create({
    mode: "subscription",
    line_items: [{ price: prices.monthly.id }],
    success_url: "http://app.test/welcome?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://app.test/pricing",
    ...extra,
  });
}

describe("checkout page", () => {
  it("shows the plan, the price, labelled inputs, Pay and a cancel link", async () => {
    const session = await newSession();
    const response = await fetch(session.url ?? "");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain("<h1>Subscribe to Masthead Digital</h1>");
    expect(html).toContain("€9.00 per month");
    expect(html).toMatch(/<label for="email">Email<\/label>\s*<input id="email"/);
    expect(html).toMatch(/<label for="card_number">Card number<\/label>\s*<input id="card_number"/);
    expect(html).toContain('<button type="submit">Pay</button>');
    expect(html).toContain('href="http://app.test/pricing"');
    expect(html).not.toMatch(/<script/i);
  });

  it("prefills a known customer's email read-only and escapes it", async () => {
    const customer = await stripe.customers.create({ email: "o'brien+<x>@example.com" });
    const session = await newSession({ customer: customer.id });
    const html = await (await fetch(session.url ?? "")).text();
    expect(html).toContain('value="o&#39;brien+&lt;x&gt;@example.com" readonly');
  });

  it("declines card 0002 on the page and keeps the session open, then pays with 4242", async () => {
    const session = await newSession({ customer_email: "decline@example.com" });
    const declined = await payCheckout(session.url ?? "", CARDS.declined, "decline@example.com");
    expect(declined.status).toBe(402);
    const html = await declined.text();
    expect(html).toMatch(/<p class="error" role="alert"[^>]*>Your card was declined\.<\/p>/);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
    expect((await stripe.customers.list({ email: "decline@example.com" })).data).toHaveLength(0);

    const paid = await payCheckout(session.url ?? "", CARDS.ok, "decline@example.com");
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(`http://app.test/welcome?session_id=${session.id}`);
    const done = await stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({ status: "complete", payment_status: "paid" });
    expect(done.customer).toMatch(/^cus_/);
    const created = await stripe.events.list({ type: "customer.created", limit: 5 });
    expect(created.data.some((e) => (e.data.object as Stripe.Customer).id === done.customer)).toBe(true);

    const again = await fetch(session.url ?? "");
    expect(await again.text()).toContain("already complete");
  });

  it("validates the email and the card number", async () => {
    const session = await newSession();
    const badEmail = await payCheckout(session.url ?? "", CARDS.ok, "not-an-email");
    expect(badEmail.status).toBe(400);
    expect(await badEmail.text()).toContain("Enter a valid email address.");
    const badCard = await payCheckout(session.url ?? "", "1234 5678 9012 3456");
    expect(badCard.status).toBe(402);
    expect(await badCard.text()).toContain("Your card number is incorrect.");
    const garbage = await fetch(session.url ?? "", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "%%%" });
    expect(garbage.status).toBe(400);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
  });

  it("answers 404 for unknown sessions", async () => {
    const response = await fetch(`${emulator.url}/c/pay/cs_test_unknown`);
    expect(response.status).toBe(404);
  });
});

describe("billing portal page", () => {
  async function portalFor(subscription: Stripe.Subscription) {
    const session = await stripe.billingPortal.sessions.create({
      customer: subscription.customer as string,
      return_url: "http://app.test/account",
    });
    return session;
  }

  async function act(url: string, fields: Record<string, string>) {
    return fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
      redirect: "manual",
    });
  }

  it("cancels at period end, resumes and switches price", async () => {
    const { subscription } = await subscribe(stripe, prices.monthly, { email: "portal@example.com" });
    const portal = await portalFor(subscription);
    const html = await (await fetch(portal.url)).text();
    expect(html).toContain("<h1>Manage your subscription</h1>");
    expect(html).toContain("Monthly: €9.00 per month");
    expect(html).toContain("Cancel subscription");
    expect(html).toMatch(/<label for="price-[^"]+">Yearly: €90\.00 per year<\/label>/);
    expect(html).toContain('href="http://app.test/account"');

    const cancel = await act(portal.url, { action: "cancel", subscription: subscription.id });
    expect(cancel.status).toBe(303);
    expect(cancel.headers.get("location")).toBe(`/p/session/${portal.id}?done=canceled`);
    expect((await stripe.subscriptions.retrieve(subscription.id)).cancel_at_period_end).toBe(true);
    const afterCancel = await (await fetch(new URL(cancel.headers.get("location") ?? "", portal.url))).text();
    expect(afterCancel).toContain("Resume subscription");
    expect(afterCancel).toContain("Cancels on");

    await act(portal.url, { action: "resume", subscription: subscription.id });
    expect((await stripe.subscriptions.retrieve(subscription.id)).cancel_at_period_end).toBe(false);

    const switched = await act(portal.url, { action: "switch", subscription: subscription.id, price: prices.yearly.id });
    expect(switched.status).toBe(303);
    const after = await stripe.subscriptions.retrieve(subscription.id);
    expect(after.items.data[0]?.price.id).toBe(prices.yearly.id);
    const events = await stripe.events.list({ type: "customer.subscription.updated", limit: 3 });
    expect(events.data.map((e) => (e.data.object as Stripe.Subscription).id)).toEqual([subscription.id, subscription.id, subscription.id]);
  });

  it("refuses other customers' subscriptions and other products' prices", async () => {
    const mine = await subscribe(stripe, prices.monthly, { email: "mine@example.com" });
    const theirs = await subscribe(stripe, prices.monthly, { email: "theirs@example.com" });
    const portal = await portalFor(mine.subscription);
    const foreign = await act(portal.url, { action: "cancel", subscription: theirs.subscription.id });
    expect(foreign.status).toBe(400);
    expect((await stripe.subscriptions.retrieve(theirs.subscription.id)).cancel_at_period_end).toBe(false);
    const other = await catalog(stripe, "Other product");
    const wrongPrice = await act(portal.url, { action: "switch", subscription: mine.subscription.id, price: other.yearly.id });
    expect(wrongPrice.status).toBe(400);
    expect((await stripe.subscriptions.retrieve(mine.subscription.id)).items.data[0]?.price.id).toBe(prices.monthly.id);
    expect((await fetch(`${emulator.url}/p/session/bps_unknown`)).status).toBe(404);
  });
});

describe("billing portal configurations", () => {
  async function act(url: string, fields: Record<string, string>) {
    return fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString(), redirect: "manual" });
  }

  it("creates, retrieves, lists and updates configurations; the default one exists and stays active", async () => {
    const made = await stripe.billingPortal.configurations.create({
      features: {
        subscription_update: { enabled: true, default_allowed_updates: ["price"], products: [{ product: prices.product.id, prices: [prices.monthly.id] }], proration_behavior: "none" },
        subscription_cancel: { enabled: true, mode: "at_period_end" },
        payment_method_update: { enabled: true },
      },
      metadata: { purpose: "test" },
    });
    expect(made).toMatchObject({
      object: "billing_portal.configuration",
      active: true,
      is_default: false,
      metadata: { purpose: "test" },
      features: {
        subscription_update: { enabled: true, default_allowed_updates: ["price"], products: [{ product: prices.product.id, prices: [prices.monthly.id] }] },
        subscription_cancel: { enabled: true, mode: "at_period_end" },
        invoice_history: { enabled: false },
      },
    });
    expect(await stripe.billingPortal.configurations.retrieve(made.id)).toEqual(expect.objectContaining({ id: made.id, features: made.features }));
    const defaults = await stripe.billingPortal.configurations.list({ is_default: true });
    expect(defaults.data).toHaveLength(1);
    expect(defaults.data[0]!.features.subscription_update).toMatchObject({ enabled: true, products: null });
    await expect(stripe.billingPortal.configurations.update(defaults.data[0]!.id, { active: false })).rejects.toMatchObject({ statusCode: 400, param: "active" });

    const updated = await stripe.billingPortal.configurations.update(made.id, { active: false, features: { subscription_update: { products: [{ product: prices.product.id, prices: [prices.monthly.id, prices.yearly.id] }] } } });
    expect(updated).toMatchObject({ active: false, features: { subscription_update: { enabled: true, products: [{ prices: [prices.monthly.id, prices.yearly.id] }] } } });
    expect((await stripe.billingPortal.configurations.list({ active: false })).data.map((c) => c.id)).toContain(made.id);
    const customer = await stripe.customers.create({ email: "inactive-config@example.com" });
    await expect(stripe.billingPortal.sessions.create({ customer: customer.id, configuration: made.id })).rejects.toMatchObject({ statusCode: 400, param: "configuration" });
    await expect(stripe.billingPortal.sessions.create({ customer: customer.id, configuration: "bpc_missing" })).rejects.toMatchObject({ statusCode: 400, code: "resource_missing", param: "configuration" });
    const events = await stripe.events.list({ type: "billing_portal.configuration.*" });
    expect(events.data.map((e) => e.type)).toEqual(["billing_portal.configuration.updated", "billing_portal.configuration.created"]);
  });

  it("refuses prices of another product, unknown prices and features the emulator's portal lacks", async () => {
    const other = await catalog(stripe, "Another product");
    const invalid = (products: Array<{ product: string; prices: string[] }>) =>
      stripe.billingPortal.configurations.create({ features: { subscription_update: { enabled: true, default_allowed_updates: ["price"], products } } });
    await expect(invalid([{ product: prices.product.id, prices: [other.yearly.id] }])).rejects.toMatchObject({ statusCode: 400, param: "features[subscription_update][products][0][prices][0]" });
    await expect(invalid([{ product: prices.product.id, prices: ["price_missing"] }])).rejects.toMatchObject({ statusCode: 400, code: "resource_missing" });
    await expect(stripe.billingPortal.configurations.create({ features: { subscription_pause: { enabled: true } } })).rejects.toMatchObject({ statusCode: 400 });
    await expect(stripe.billingPortal.configurations.create({} as Stripe.BillingPortal.ConfigurationCreateParams)).rejects.toMatchObject({ statusCode: 400, param: "features" });
  });

  it("a session made with a configuration offers only its prices, and refuses others when posted; without cancel there is no cancel", async () => {
    const { subscription } = await subscribe(stripe, prices.monthly, { email: "restricted-portal@example.com" });
    const monthlyOnly = await stripe.billingPortal.configurations.create({
      features: { subscription_update: { enabled: true, default_allowed_updates: ["price"], products: [{ product: prices.product.id, prices: [prices.monthly.id] }] } },
      default_return_url: "http://app.test/back",
    });
    const portal = await stripe.billingPortal.sessions.create({ customer: subscription.customer as string, configuration: monthlyOnly.id });
    expect(portal).toMatchObject({ configuration: monthlyOnly.id, return_url: "http://app.test/back" });
    const html = await (await fetch(portal.url)).text();
    expect(html).toContain("Monthly: €9.00 per month");
    expect(html).not.toContain("Yearly: €90.00 per year");
    expect(html).not.toContain("Switch plan");
    expect(html).not.toContain("Cancel subscription");
    const refused = await act(portal.url, { action: "switch", subscription: subscription.id, price: prices.yearly.id });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Choose one of the plans listed.");
    expect((await act(portal.url, { action: "cancel", subscription: subscription.id })).status).toBe(400);
    const after = await stripe.subscriptions.retrieve(subscription.id);
    expect(after).toMatchObject({ cancel_at_period_end: false, items: { data: [{ price: { id: prices.monthly.id } }] } });

    // The same customer on the default configuration may switch, and a switch to Yearly bills at once.
    const open = await stripe.billingPortal.sessions.create({ customer: subscription.customer as string });
    expect(await (await fetch(open.url)).text()).toContain("Yearly: €90.00 per year");
    expect((await act(open.url, { action: "switch", subscription: subscription.id, price: prices.yearly.id })).status).toBe(303);
    const switched = await stripe.subscriptions.retrieve(subscription.id, { expand: ["latest_invoice"] });
    expect(switched.latest_invoice).toMatchObject({ amount_paid: 9000, billing_reason: "subscription_update" });
  });

  it("cancel mode immediately ends the subscription at once", async () => {
    const { subscription } = await subscribe(stripe, prices.monthly, { email: "cancel-now@example.com" });
    const now = await stripe.billingPortal.configurations.create({ features: { subscription_cancel: { enabled: true, mode: "immediately" } } });
    const portal = await stripe.billingPortal.sessions.create({ customer: subscription.customer as string, configuration: now.id });
    const done = await act(portal.url, { action: "cancel", subscription: subscription.id });
    expect(done.status).toBe(303);
    expect(await (await fetch(new URL(done.headers.get("location") ?? "", portal.url))).text()).toContain("Your subscription has been canceled.");
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe("canceled");
  });
});
