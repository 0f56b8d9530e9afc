/** The emulator's REST resources, driven through the real stripe SDK. */
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { catalog, sdk, emulatorForFile, subscribe } from "./helpers";

const { emulator, stripe } = emulatorForFile();

async function expectStripeError(promise: Promise<unknown>, expected: { status: number; type?: string; code?: string; param?: string; message?: RegExp }) {
  const error = await promise.then(
    () => {
      throw new Error("expected the request to fail");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Stripe.errors.StripeError);
  const stripeError = error as Stripe.errors.StripeError;
  expect(stripeError.statusCode).toBe(expected.status);
  if (expected.type) expect(stripeError.type).toBe(expected.type);
  if (expected.code) expect(stripeError.code).toBe(expected.code);
  if (expected.param) expect(stripeError.param).toBe(expected.param);
  if (expected.message) expect(stripeError.message).toMatch(expected.message);
  return stripeError;
}

describe("customers", () => {
  it("creates, retrieves, updates and lists by email", async () => {
    const created = await stripe.customers.create({ email: "ana@example.com", name: "Ana Núñez 📰", metadata: { userId: "7", plan: "x" } });
    expect(created.id).toMatch(/^cus_/);
    expect(created).toMatchObject({ object: "customer", email: "ana@example.com", name: "Ana Núñez 📰", livemode: false });
    expect(created.metadata).toEqual({ userId: "7", plan: "x" });

    const fetched = await stripe.customers.retrieve(created.id);
    expect(fetched).toEqual(created);

    const updated = await stripe.customers.update(created.id, { name: "Ana", metadata: { plan: "", extra: "1" } });
    expect(updated.name).toBe("Ana");
    expect(updated.metadata).toEqual({ userId: "7", extra: "1" });

    await stripe.customers.create({ email: "someone-else@example.com" });
    const listed = await stripe.customers.list({ email: "ana@example.com" });
    expect(listed.data.map((c) => c.id)).toEqual([created.id]);
    expect(listed.url).toBe("/v1/customers");

    const events = await stripe.events.list({ type: "customer.updated", limit: 5 });
    const event = events.data.find((e) => (e.data.object as Stripe.Customer).id === created.id);
    expect(event?.data.previous_attributes).toMatchObject({ name: "Ana Núñez 📰", metadata: { userId: "7", plan: "x" } });
  });

  it("searches by metadata, email and name", async () => {
    const a = await stripe.customers.create({ email: "search-a@example.com", name: "Search Alpha", metadata: { userId: "42" } });
    const b = await stripe.customers.create({ email: "search-b@example.com", name: "Search Beta", metadata: { userId: "43" } });
    const byMeta = await stripe.customers.search({ query: "metadata['userId']:'42'" });
    expect(byMeta.object).toBe("search_result");
    expect(byMeta.data.map((c) => c.id)).toEqual([a.id]);
    const either = await stripe.customers.search({ query: `email:'search-a@example.com' OR email:'search-b@example.com'` });
    expect(either.data.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
    const both = await stripe.customers.search({ query: `name~'Search' AND metadata['userId']:'43'` });
    expect(both.data.map((c) => c.id)).toEqual([b.id]);
    const paged = await stripe.customers.search({ query: "name~'Search'", limit: 1 });
    expect(paged.has_more).toBe(true);
    const next = await stripe.customers.search({ query: "name~'Search'", limit: 1, page: paged.next_page ?? "" });
    expect(next.data[0]?.id).not.toBe(paged.data[0]?.id);
    await expectStripeError(stripe.customers.search({ query: "metadata['userId'] = 42" }), { status: 400, param: "query" });
    await expectStripeError(stripe.customers.search({ query: "email:'a@b.c' AND name:'x' OR name:'y'" }), { status: 400 });
  });
});

describe("products and prices", () => {
  it("creates, retrieves, updates and lists products", async () => {
    const product = await stripe.products.create({ name: "Print + Digital", description: "Everything", metadata: { tier: "gold" } });
    expect(product).toMatchObject({ object: "product", active: true, name: "Print + Digital", default_price: null });
    expect(await stripe.products.retrieve(product.id)).toEqual(product);
    const archived = await stripe.products.update(product.id, { active: false });
    expect(archived.active).toBe(false);
    const active = await stripe.products.list({ active: true, limit: 100 });
    expect(active.data.some((p) => p.id === product.id)).toBe(false);
    const inactive = await stripe.products.list({ active: false, limit: 100 });
    expect(inactive.data.some((p) => p.id === product.id)).toBe(true);

    const withPrice = await stripe.products.create({
      name: "Weekly",
      default_price_data: { currency: "usd", unit_amount: 300, recurring: { interval: "week" } },
      expand: ["default_price"],
    });
    expect((withPrice.default_price as Stripe.Price).unit_amount).toBe(300);
  });

  it("creates, retrieves and lists prices; only active, metadata, nickname change", async () => {
    const { product, monthly, yearly } = await catalog(stripe, "Price Test");
    expect(monthly).toMatchObject({
      object: "price",
      product: product.id,
      currency: "eur",
      unit_amount: 900,
      type: "recurring",
      recurring: { interval: "month", interval_count: 1, usage_type: "licensed" },
    });
    expect(String(monthly.unit_amount_decimal)).toBe("900");
    expect(await stripe.prices.retrieve(monthly.id)).toEqual(monthly);

    const updated = await stripe.prices.update(monthly.id, { nickname: "Monthly (old)", metadata: { legacy: "yes" }, active: false });
    expect(updated).toMatchObject({ nickname: "Monthly (old)", active: false, metadata: { legacy: "yes" }, unit_amount: 900 });

    const immutable = await expectStripeError(
      stripe.prices.update(yearly.id, { unit_amount: 100 } as unknown as Stripe.PriceUpdateParams),
      { status: 400, type: "StripeInvalidRequestError", param: "unit_amount", message: /Received unknown parameter: unit_amount/ },
    );
    expect(immutable.rawType).toBe("invalid_request_error");
    await expectStripeError(
      stripe.prices.update(yearly.id, { recurring: { interval: "day" } } as unknown as Stripe.PriceUpdateParams),
      { status: 400, param: "recurring" },
    );

    const listed = await stripe.prices.list({ product: product.id, active: true });
    expect(listed.data.map((p) => p.id)).toEqual([yearly.id]);
    const expanded = await stripe.prices.list({ product: product.id, expand: ["data.product"] });
    expect((expanded.data[0]?.product as Stripe.Product).name).toBe("Price Test");

    const viaProductData = await stripe.prices.create({ currency: "usd", unit_amount: 500, product_data: { name: "Inline" }, recurring: { interval: "month" } });
    expect((await stripe.products.retrieve(viaProductData.product as string)).name).toBe("Inline");
  });

  it("rejects bad price parameters", async () => {
    const product = await stripe.products.create({ name: "Bad prices" });
    await expectStripeError(stripe.prices.create({ product: product.id, unit_amount: 100 } as Stripe.PriceCreateParams), {
      status: 400,
      code: "parameter_missing",
      param: "currency",
    });
    await expectStripeError(stripe.prices.create({ product: product.id, currency: "usd", unit_amount: -5 }), { status: 400, param: "unit_amount" });
    await expectStripeError(
      stripe.prices.create({ product: product.id, currency: "usd", unit_amount: 5, recurring: { interval: "fortnight" as "week" } }),
      { status: 400, param: "recurring[interval]" },
    );
    await expectStripeError(stripe.prices.create({ product: "prod_missing", currency: "usd", unit_amount: 5 }), {
      status: 400,
      code: "resource_missing",
      param: "product",
    });
    await stripe.prices.create({ product: product.id, currency: "usd", unit_amount: 5, lookup_key: "basic" });
    await expectStripeError(stripe.prices.create({ product: product.id, currency: "usd", unit_amount: 6, lookup_key: "basic" }), {
      status: 400,
      param: "lookup_key",
    });
    const moved = await stripe.prices.create({ product: product.id, currency: "usd", unit_amount: 6, lookup_key: "basic", transfer_lookup_key: true });
    const byKey = await stripe.prices.list({ lookup_keys: ["basic"] });
    expect(byKey.data.map((p) => p.id)).toEqual([moved.id]);
  });
});

describe("checkout sessions", () => {
  it("creates a subscription-mode session with every supported parameter", async () => {
    const { monthly } = await catalog(stripe, "Checkout Params");
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer_email: "new@example.com",
      client_reference_id: "user_42",
      metadata: { userId: "42" },
      line_items: [{ price: monthly.id, quantity: 2 }],
      subscription_data: { trial_period_days: 14, metadata: { userId: "42" } },
      allow_promotion_codes: true,
      success_url: "http://app.test/ok?session_id={CHECKOUT_SESSION_ID}",
      cancel_url: "http://app.test/pricing",
    });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session).toMatchObject({
      object: "checkout.session",
      mode: "subscription",
      status: "open",
      payment_status: "unpaid",
      customer: null,
      customer_email: "new@example.com",
      client_reference_id: "user_42",
      metadata: { userId: "42" },
      allow_promotion_codes: true,
      amount_subtotal: 1800,
      amount_total: 0,
      currency: "eur",
      subscription: null,
    });
    expect(session.url).toBe(`${emulator.url}/c/pay/${session.id}`);
    const items = await stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({ object: "item", quantity: 2, amount_subtotal: 1800, price: { id: monthly.id } });
    const withItems = await stripe.checkout.sessions.retrieve(session.id, { expand: ["line_items"] });
    expect(withItems.line_items?.data[0]?.price?.id).toBe(monthly.id);
  });

  it("completes, expands subscription and customer, and expires", async () => {
    const { monthly } = await catalog(stripe, "Checkout Flow");
    const { session } = await subscribe(stripe, monthly, { email: "flow@example.com" });
    const expanded = await stripe.checkout.sessions.retrieve(session.id, { expand: ["subscription", "customer"] });
    expect(expanded.status).toBe("complete");
    expect(expanded.payment_status).toBe("paid");
    expect(expanded.customer_details?.email).toBe("flow@example.com");
    expect((expanded.customer as Stripe.Customer).email).toBe("flow@example.com");
    expect((expanded.subscription as Stripe.Subscription).status).toBe("active");
    await expect(stripe.checkout.sessions.expire(session.id)).rejects.toThrow(/status of `open`/);

    const open = await stripe.checkout.sessions.create({
      mode: "subscription",
      line_items: [{ price: monthly.id }],
      success_url: "http://app.test/ok",
    });
    const expired = await stripe.checkout.sessions.expire(open.id);
    expect(expired.status).toBe("expired");
    const page = await fetch(open.url ?? "");
    expect(page.status).toBe(410);
  });

  it("rejects invalid sessions", async () => {
    const { monthly, product } = await catalog(stripe, "Checkout Errors");
    const customer = await stripe.customers.create({ email: "c@example.com" });
    const base = { mode: "subscription" as const, success_url: "http://app.test/ok", line_items: [{ price: monthly.id }] };
    await expectStripeError(stripe.checkout.sessions.create({ ...base, customer: customer.id, customer_email: "x@example.com" }), {
      status: 400,
      message: /only specify one of/,
    });
    await expectStripeError(stripe.checkout.sessions.create({ ...base, customer: "cus_nope" }), { status: 400, code: "resource_missing", param: "customer" });
    await expectStripeError(stripe.checkout.sessions.create({ ...base, line_items: [{ price: "price_nope" }] }), {
      status: 400,
      code: "resource_missing",
      param: "line_items[0][price]",
    });
    const oneTime = await stripe.prices.create({ product: product.id, currency: "eur", unit_amount: 100 });
    await expectStripeError(stripe.checkout.sessions.create({ ...base, line_items: [{ price: oneTime.id }] }), {
      status: 400,
      param: "line_items[0][price]",
    });
    // Payment mode takes one-time prices only (tests/integration/stripe-emulator/payments.test.ts); setup mode is not emulated.
    await expectStripeError(stripe.checkout.sessions.create({ ...base, mode: "payment" }), { status: 400, param: "line_items[0][price]", message: /recurring price/ });
    await expectStripeError(stripe.checkout.sessions.create({ ...base, mode: "setup" }), { status: 400, param: "mode" });
    await expectStripeError(stripe.checkout.sessions.create({ ...base, success_url: "not a url" }), { status: 400, param: "success_url" });
    await expectStripeError(stripe.checkout.sessions.retrieve("cs_test_missing"), { status: 404, code: "resource_missing", param: "id" });
  });
});

describe("subscriptions, invoices, portal", () => {
  it("retrieves with expansions, lists, updates and cancels", async () => {
    const { product, monthly, yearly } = await catalog(stripe, "Subscription Ops");
    const { subscription, session } = await subscribe(stripe, monthly, { email: "ops@example.com" });
    const customerId = session.customer as string;
    const item = subscription.items.data[0];
    expect(item?.current_period_start).toBe(subscription.start_date);
    expect(item && item.current_period_end - item.current_period_start).toBeGreaterThanOrEqual(28 * 86_400);

    const full = await stripe.subscriptions.retrieve(subscription.id, { expand: ["latest_invoice", "items.data.price.product"] });
    const invoice = full.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({ object: "invoice", status: "paid", amount_paid: 900, billing_reason: "subscription_create" });
    expect(invoice.parent?.subscription_details?.subscription).toBe(subscription.id);
    expect(invoice.lines.data[0]?.period.end).toBe(item?.current_period_end);
    expect((full.items.data[0]?.price.product as Stripe.Product).name).toBe("Subscription Ops");

    const listed = await stripe.subscriptions.list({ customer: customerId });
    expect(listed.data.map((s) => s.id)).toEqual([subscription.id]);
    const byPrice = await stripe.subscriptions.list({ price: monthly.id });
    expect(byPrice.data.map((s) => s.id)).toContain(subscription.id);

    const canceling = await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    expect(canceling).toMatchObject({ cancel_at_period_end: true, cancel_at: item?.current_period_end, status: "active" });
    const resumed = await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: false });
    expect(resumed).toMatchObject({ cancel_at_period_end: false, cancel_at: null, canceled_at: null });

    const switched = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: item?.id ?? "", price: yearly.id }],
      proration_behavior: "none",
      metadata: { plan: "yearly" },
    });
    expect(switched.items.data[0]?.price.id).toBe(yearly.id);
    // Another interval: a new cycle from now, billed at once (lifecycle.test.ts has the details).
    expect(switched.items.data[0]?.current_period_end).toBeGreaterThan((item?.current_period_end ?? 0) + 300 * 86_400);
    expect(switched.metadata).toEqual({ plan: "yearly" });
    const updatedEvents = await stripe.events.list({ type: "customer.subscription.updated", limit: 1 });
    const previous = updatedEvents.data[0]?.data.previous_attributes as Partial<Stripe.Subscription>;
    expect(previous.items?.data[0]?.price.id).toBe(monthly.id);
    expect(previous.metadata).toEqual({});

    await expectStripeError(stripe.subscriptions.update(subscription.id, { items: [{ id: "si_nope", price: yearly.id }] }), {
      status: 400,
      param: "items[0][id]",
    });
    await expectStripeError(stripe.subscriptions.update(subscription.id, { items: [{ id: item?.id ?? "", price: "price_nope" }] }), {
      status: 400,
      code: "resource_missing",
      param: "items[0][price]",
    });
    const inactive = await stripe.prices.create({ product: product.id, currency: "eur", unit_amount: 1, recurring: { interval: "month" }, active: false });
    await expectStripeError(stripe.subscriptions.update(subscription.id, { items: [{ id: item?.id ?? "", price: inactive.id }] }), {
      status: 400,
      message: /inactive/,
    });

    const canceled = await stripe.subscriptions.cancel(subscription.id);
    expect(canceled).toMatchObject({ status: "canceled", cancellation_details: { reason: "cancellation_requested" } });
    expect(canceled.ended_at).not.toBeNull();
    expect((await stripe.subscriptions.list({ customer: customerId })).data).toHaveLength(0);
    expect((await stripe.subscriptions.list({ customer: customerId, status: "all" })).data).toHaveLength(1);
    await expectStripeError(stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true }), { status: 400 });
    await expectStripeError(stripe.subscriptions.retrieve("sub_nope"), { status: 404, code: "resource_missing" });
  });

  it("lists and retrieves invoices", async () => {
    const { monthly } = await catalog(stripe, "Invoices");
    const { subscription, session } = await subscribe(stripe, monthly, { email: "inv@example.com" });
    const invoices = await stripe.invoices.list({ subscription: subscription.id });
    expect(invoices.data).toHaveLength(1);
    const invoice = invoices.data[0] as Stripe.Invoice;
    expect(invoice.customer).toBe(session.customer);
    expect(invoice.number).toMatch(/^[A-Z0-9]+-0001$/);
    expect(await stripe.invoices.retrieve(invoice.id)).toEqual(invoice);
    expect((await stripe.invoices.list({ customer: session.customer as string, status: "paid" })).data).toHaveLength(1);
    await expectStripeError(stripe.invoices.retrieve("in_nope"), { status: 404, param: "id" });
  });

  it("creates billing portal sessions", async () => {
    const customer = await stripe.customers.create({ email: "portal@example.com" });
    const session = await stripe.billingPortal.sessions.create({ customer: customer.id, return_url: "http://app.test/account" });
    expect(session).toMatchObject({ object: "billing_portal.session", customer: customer.id, return_url: "http://app.test/account" });
    expect(session.url).toBe(`${emulator.url}/p/session/${session.id}`);
    const page = await fetch(session.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("http://app.test/account");
    await expectStripeError(stripe.billingPortal.sessions.create({ customer: "cus_nope" }), { status: 400, param: "customer" });
  });
});

describe("events and webhook endpoints", () => {
  it("retrieves and lists events", async () => {
    const product = await stripe.products.create({ name: "Evented" });
    const list = await stripe.events.list({ type: "product.created", limit: 1 });
    const event = list.data[0] as Stripe.Event;
    expect(event).toMatchObject({ object: "event", type: "product.created", api_version: "2026-10-28.endive", livemode: false });
    expect((event.data.object as Stripe.Product).id).toBe(product.id);
    expect(await stripe.events.retrieve(event.id)).toEqual(event);
    const wildcard = await stripe.events.list({ type: "product.*", limit: 100 });
    expect(wildcard.data.every((e) => e.type.startsWith("product."))).toBe(true);
    await expectStripeError(stripe.events.retrieve("evt_nope"), { status: 404 });
  });

  it("creates, lists and deletes webhook endpoints", async () => {
    const endpoint = await stripe.webhookEndpoints.create({ url: "http://127.0.0.1:9/hook", enabled_events: ["customer.created"] });
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ object: "webhook_endpoint", status: "enabled", enabled_events: ["customer.created"] });
    const listed = await stripe.webhookEndpoints.list();
    expect(listed.data.map((e) => e.id)).toContain(endpoint.id);
    expect((await stripe.webhookEndpoints.retrieve(endpoint.id)).secret).toBeUndefined();
    const deleted = await stripe.webhookEndpoints.del(endpoint.id);
    expect(deleted.deleted).toBe(true);
    await expectStripeError(stripe.webhookEndpoints.create({ url: "nope", enabled_events: ["*"] }), { status: 400, param: "url" });
  });
});

describe("API conventions", () => {
  it("needs an sk_test_ key", async () => {
    await expectStripeError(sdk(emulator.port, "sk_live_abcdef1234567890").customers.list(), {
      status: 401,
      type: "StripeAuthenticationError",
      message: /Invalid API Key provided/,
    });
    await expectStripeError(sdk(emulator.port, "pk_test_abc").customers.list(), { status: 401 });
    const anonymous = await fetch(`${emulator.url}/v1/customers`);
    expect(anonymous.status).toBe(401);
    const body = (await anonymous.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toMatch(/did not provide an API key/);
  });

  it("answers unknown ids, routes and parameters in Stripe's error shape", async () => {
    const error = await expectStripeError(stripe.customers.retrieve("cus_doesnotexist"), { status: 404, code: "resource_missing", param: "id" });
    expect(error.message).toBe("No such customer: 'cus_doesnotexist'");
    await expectStripeError(stripe.products.update("prod_nope", { name: "x" }), { status: 404, param: "id" });
    await expectStripeError(stripe.customers.create({ bogus: 1 } as Stripe.CustomerCreateParams), {
      status: 400,
      code: "parameter_unknown",
      param: "bogus",
    });
    await expectStripeError(stripe.customers.list({ limit: 1000 }), { status: 400, param: "limit" });
    await expectStripeError(stripe.customers.create({ email: "not-an-email" }), { status: 400, param: "email" });
    const unknownRoute = await fetch(`${emulator.url}/v1/disputes`, { headers: { authorization: "Bearer sk_test_x" } });
    expect(unknownRoute.status).toBe(404);
    expect(((await unknownRoute.json()) as { error: { message: string } }).error.message).toMatch(/Unrecognized request URL/);
    await expectStripeError(stripe.subscriptions.retrieve("sub_x", { expand: ["nonsense"] }), { status: 404 });
    const customer = await stripe.customers.create({});
    await expectStripeError(stripe.customers.retrieve(customer.id, { expand: ["email"] }), { status: 400, param: "expand" });
  });

  it("replays idempotent requests and rejects reuse with other parameters", async () => {
    const key = `idem-${Date.now()}`;
    const first = await stripe.customers.create({ email: "idem@example.com" }, { idempotencyKey: key });
    const second = await stripe.customers.create({ email: "idem@example.com" }, { idempotencyKey: key });
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect((await stripe.customers.list({ email: "idem@example.com" })).data).toHaveLength(1);
    const error = await expectStripeError(stripe.customers.create({ email: "other@example.com" }, { idempotencyKey: key }), {
      status: 400,
      type: "StripeIdempotencyError",
    });
    expect(error.rawType).toBe("idempotency_error");
    const third = await stripe.customers.create({ email: "idem@example.com" }, { idempotencyKey: `${key}-2` });
    expect(third.id).not.toBe(first.id);
  });

  it("paginates with limit, starting_after, ending_before and has_more", async () => {
    const tag = `page-${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await stripe.products.create({ name: `${tag}-${i}`, metadata: { tag } })).id);
    const newest = [...ids].reverse();
    const page1 = await stripe.products.list({ limit: 2, ids });
    expect(page1).toMatchObject({ object: "list", has_more: true, url: "/v1/products" });
    expect(page1.data.map((p) => p.id)).toEqual(newest.slice(0, 2));
    const page2 = await stripe.products.list({ limit: 2, ids, starting_after: page1.data[1]?.id });
    expect(page2.data.map((p) => p.id)).toEqual(newest.slice(2, 4));
    const page3 = await stripe.products.list({ limit: 2, ids, starting_after: page2.data[1]?.id });
    expect(page3.data.map((p) => p.id)).toEqual(newest.slice(4));
    expect(page3.has_more).toBe(false);
    const back = await stripe.products.list({ limit: 2, ids, ending_before: page3.data[0]?.id });
    expect(back.data.map((p) => p.id)).toEqual(newest.slice(2, 4));
    const all = await stripe.products.list({ limit: 2, ids }).autoPagingToArray({ limit: 10 });
    expect(all.map((p) => p.id)).toEqual(newest);
    await expectStripeError(stripe.products.list({ starting_after: "prod_nope" }), { status: 400, param: "starting_after" });
  });
});
