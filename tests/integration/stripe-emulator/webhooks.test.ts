/** Signed webhook delivery: signatures, retries with backoff, giving up, and the delivery switches. */
import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import { control, deliveries, eventTypes, settled, startEmulator, startReceiver, waitFor } from "./helpers";

const SECRET = "whsec_emulator_suite_secret";
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function setup(respond?: Parameters<typeof startReceiver>[0], secret = SECRET) {
  const receiver = await startReceiver(respond);
  const { emulator, stripe } = await startEmulator({ webhooks: [{ url: receiver.url, secret }] });
  cleanups.push(receiver.close, () => emulator.close());
  return { receiver, emulator, stripe };
}

function parse(body: string): Stripe.Event {
  return JSON.parse(body) as Stripe.Event;
}

describe("signatures", () => {
  it("are accepted by stripe.webhooks.constructEvent and rejected with another secret", async () => {
    const { receiver, emulator, stripe } = await setup();
    const customer = await stripe.customers.create({ email: "hook@example.com" });
    const [delivery] = await waitFor(() => (receiver.received.length > 0 ? receiver.received : null), "a webhook");
    const header = String(delivery?.headers["stripe-signature"]);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(delivery?.headers["content-type"]).toMatch(/^application\/json/);

    const event = stripe.webhooks.constructEvent(delivery?.body ?? "", header, SECRET);
    expect(event.type).toBe("customer.created");
    expect((event.data.object as Stripe.Customer).id).toBe(customer.id);
    expect(event.api_version).toBe("2026-10-28.endive");
    expect(event.request?.id).toMatch(/^req_/);

    expect(() => stripe.webhooks.constructEvent(delivery?.body ?? "", header, "whsec_wrong")).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() => stripe.webhooks.constructEvent(`${delivery?.body ?? ""} `, header, SECRET)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    // The timestamp is wall-clock time, so the default tolerance accepts it even after the emulator clock moved.
    await control(emulator, "POST", "clock", { advance_seconds: 40 * 86_400 });
    await stripe.customers.update(customer.id, { name: "Later" });
    const later = await waitFor(() => receiver.received.find((r) => parse(r.body).type === "customer.updated"), "customer.updated");
    expect(stripe.webhooks.constructEvent(later.body, String(later.headers["stripe-signature"]), SECRET, 300).type).toBe("customer.updated");
  });

  it("are sent after the API response, not inside the request", async () => {
    const { receiver, stripe } = await setup();
    const started = Date.now();
    await stripe.products.create({ name: "Async" });
    const answered = Date.now();
    const delivery = await waitFor(() => receiver.received[0], "a webhook");
    expect(delivery.at).toBeGreaterThanOrEqual(answered);
    expect(answered - started).toBeLessThan(1000);
  });

  it("go to endpoints created through the API, with their own secret and event filter", async () => {
    const receiver = await startReceiver();
    const { emulator, stripe } = await startEmulator();
    cleanups.push(receiver.close, () => emulator.close());
    const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ["product.created"] });
    await stripe.customers.create({ email: "ignored@example.com" });
    await stripe.products.create({ name: "Wanted" });
    await settled(emulator);
    expect(eventTypes(receiver.received)).toEqual(["product.created"]);
    const first = receiver.received[0];
    expect(stripe.webhooks.constructEvent(first?.body ?? "", String(first?.headers["stripe-signature"]), endpoint.secret ?? "").type).toBe(
      "product.created",
    );
  });
});

describe("configured endpoints", () => {
  it("generate a whsec_ secret when none is given and keep it across a reset", async () => {
    const receiver = await startReceiver();
    const { emulator, stripe } = await startEmulator({ webhooks: [{ url: receiver.url }] });
    cleanups.push(receiver.close, () => emulator.close());
    const secret = emulator.webhooks[0]?.secret ?? "";
    expect(secret).toMatch(/^whsec_/);
    expect((await control(emulator, "POST", "reset")).status).toBe(200);
    expect(emulator.webhooks[0]?.secret).toBe(secret);
    await stripe.products.create({ name: "After reset" });
    const delivery = await waitFor(() => receiver.received[0], "a webhook after reset");
    expect(stripe.webhooks.constructEvent(delivery.body, String(delivery.headers["stripe-signature"]), secret).type).toBe("product.created");
  });
});

describe("retries", () => {
  it("retries a 500 with growing delays until the endpoint answers 2xx", async () => {
    const { receiver, emulator, stripe } = await setup((_, index) => (index < 2 ? 500 : 200));
    await stripe.products.create({ name: "Retry me" });
    const [delivery] = await settled(emulator);
    expect(delivery).toMatchObject({ type: "product.created", attempts: 3, last_status: 200, state: "succeeded", url: receiver.url });
    expect(delivery?.answered_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(receiver.received).toHaveLength(3);
    const ids = new Set(receiver.received.map((r) => parse(r.body).id));
    expect(ids.size).toBe(1);
    const [a, b, c] = receiver.received.map((r) => r.at);
    expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(15);
    expect((c ?? 0) - (b ?? 0)).toBeGreaterThanOrEqual(35);
  });

  it("gives up after the configured number of attempts", async () => {
    const { receiver, emulator, stripe } = await setup(() => 503);
    await stripe.products.create({ name: "Never" });
    const [delivery] = await settled(emulator);
    expect(delivery).toMatchObject({ attempts: 4, last_status: 503, state: "failed" });
    expect(receiver.received).toHaveLength(4);
  });

  it("retries an unreachable endpoint and records the error", async () => {
    const closed = await startReceiver();
    await closed.close();
    const { emulator, stripe } = await startEmulator({ webhooks: [{ url: closed.url, secret: SECRET }] });
    cleanups.push(() => emulator.close());
    await stripe.products.create({ name: "Nobody home" });
    const list = await settled(emulator);
    expect(list[0]).toMatchObject({ attempts: 4, last_status: null, state: "failed" });
    const full = await deliveries(emulator);
    expect(full.data[0]).toHaveProperty("last_error");
  });
});

describe("delivery switches", () => {
  it("duplicate sends the next event twice", async () => {
    const { receiver, emulator, stripe } = await setup();
    expect((await control(emulator, "POST", "webhooks/next", { mode: "duplicate" })).status).toBe(200);
    await stripe.products.create({ name: "Twice" });
    await stripe.products.create({ name: "Once" });
    await settled(emulator);
    const events = receiver.received.map((r) => parse(r.body));
    expect(events.map((e) => (e.data.object as Stripe.Product).name)).toEqual(["Twice", "Twice", "Once"]);
    expect(events[0]?.id).toBe(events[1]?.id);
  });

  it("delay holds the next delivery back while later ones go out", async () => {
    const { receiver, emulator, stripe } = await setup();
    await control(emulator, "POST", "webhooks/next", { mode: "delay", delay_ms: 300 });
    const before = Date.now();
    await stripe.products.create({ name: "Slow" });
    await stripe.products.create({ name: "Fast" });
    await settled(emulator);
    const names = receiver.received.map((r) => (parse(r.body).data.object as Stripe.Product).name);
    expect(names).toEqual(["Fast", "Slow"]);
    expect((receiver.received[1]?.at ?? 0) - before).toBeGreaterThanOrEqual(290);
  });

  it("out_of_order swaps the next delivery with the one after it", async () => {
    const { receiver, emulator, stripe } = await setup();
    await control(emulator, "POST", "webhooks/next", { mode: "out_of_order" });
    await stripe.products.create({ name: "First" });
    await stripe.products.create({ name: "Second" });
    await stripe.products.create({ name: "Third" });
    await settled(emulator);
    const names = receiver.received.map((r) => (parse(r.body).data.object as Stripe.Product).name);
    expect(names).toEqual(["Second", "First", "Third"]);
    const log = await deliveries(emulator);
    expect(log.data.find((d) => d.mode === "out_of_order")).toBeDefined();
  });

  it("rejects unknown switches", async () => {
    const { emulator } = await setup();
    const result = await control(emulator, "POST", "webhooks/next", { mode: "sideways" });
    expect(result.status).toBe(400);
    expect((result.json.error as { type: string }).type).toBe("invalid_request_error");
  });
});
