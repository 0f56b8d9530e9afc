/** Shared helpers for the Stripe emulator suite: start it, talk to it, receive its webhooks. */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll } from "vitest";
import { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from "../../../tools/stripe-emulator/index";
import type { DeliverySummary } from "../../../tools/stripe-emulator/webhooks";
import { lateBound } from "../../support/late-bound";

export const KEY = "sk_test_emulator_suite";

export async function startEmulator(options: StripeEmulatorOptions = {}): Promise<{ emulator: StripeEmulator; stripe: Stripe }> {
  const emulator = await startStripeEmulator({
    port: 0,
    log: false,
    tickMs: false,
    webhookRetry: { baseDelayMs: 20, maxAttempts: 4, timeoutMs: 2000 },
    ...options,
  });
  return { emulator, stripe: sdk(emulator.port) };
}

/** The emulator of one test file: started before its tests and closed after them. */
export function emulatorForFile(options: StripeEmulatorOptions = {}): { emulator: StripeEmulator; stripe: Stripe } {
  const [emulator, setEmulator] = lateBound<StripeEmulator>("the emulator");
  const [stripe, setStripe] = lateBound<Stripe>("the SDK on the emulator");
  beforeAll(async () => {
    const started = await startEmulator(options);
    setEmulator(started.emulator);
    setStripe(started.stripe);
  });
  afterAll(() => emulator.close());
  return { emulator, stripe };
}

export function sdk(port: number, key = KEY): Stripe {
  return new Stripe(key, { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0 });
}

export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

export async function control(emulator: StripeEmulator, method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${emulator.url}/_emulator/${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

export async function advanceDays(emulator: StripeEmulator, days: number): Promise<void> {
  const { status } = await control(emulator, "POST", "clock", { advance_seconds: Math.round(days * 86_400) });
  if (status !== 200) throw new Error(`clock advance failed: ${status}`);
}

export async function deliveries(emulator: StripeEmulator): Promise<{ pending: number; data: DeliverySummary[] }> {
  const { json } = await control(emulator, "GET", "deliveries");
  return json as unknown as { pending: number; data: DeliverySummary[] };
}

export async function settled(emulator: StripeEmulator): Promise<DeliverySummary[]> {
  return (await waitFor(async () => {
    const list = await deliveries(emulator);
    return list.pending === 0 ? list.data : null;
  }, "webhook deliveries to settle")) as DeliverySummary[];
}

/** A product with a monthly and a yearly price. */
export async function catalog(stripe: Stripe, name = "Masthead Digital") {
  const product = await stripe.products.create({ name });
  const price = (nickname: string, unit_amount: number, interval: "month" | "year") =>
    stripe.prices.create({ product: product.id, currency: "eur", unit_amount, nickname, recurring: { interval } });
  return { product, monthly: await price("Monthly", 900, "month"), yearly: await price("Yearly", 9000, "year") };
}

export const CARDS = {
  ok: "4242 4242 4242 4242",
  declined: "4000 0000 0000 0002",
  failsLater: "4000 0000 0000 0341",
} as const;

/** Submits the hosted checkout page's form the way a browser would. */
export async function payCheckout(url: string, card: string, email = "reader@example.com"): Promise<Response> {
  const page = await fetch(url);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form on the checkout page (${page.status})`);
  return fetch(new URL(action, url), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, card_number: card }).toString(),
    redirect: "manual",
  });
}

/** Creates a checkout session and pays it; returns the completed session with its subscription. */
export async function subscribe(
  stripe: Stripe,
  price: Stripe.Price,
  options: { card?: string; email?: string; trialDays?: number; customer?: string } = {},
): Promise<{ session: Stripe.Checkout.Session; subscription: Stripe.Subscription }> {
  const created = await stripe.checkout.sessions.create({
    mode: "subscription",
    line_items: [{ price: price.id, quantity: 1 }],
    success_url: "http://app.test/welcome?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://app.test/pricing",
    ...(options.customer ? { customer: options.customer } : { customer_email: options.email ?? "reader@example.com" }),
    ...(options.trialDays ? { subscription_data: { trial_period_days: options.trialDays } } : {}),
  });
  const response = await payCheckout(created.url ?? "", options.card ?? CARDS.ok, options.email);
  if (response.status !== 303) throw new Error(`checkout failed with ${response.status}: ${await response.text()}`);
  const session = await stripe.checkout.sessions.retrieve(created.id, { expand: ["subscription"] });
  return { session, subscription: session.subscription as Stripe.Subscription };
}

export interface Received {
  body: string;
  headers: IncomingHttpHeaders;
  at: number;
}

/** A tiny webhook receiver; `respond` decides the status code per request. */
export async function startReceiver(respond: (received: Received, index: number) => number = () => 200): Promise<{
  url: string;
  received: Received[];
  close: () => Promise<void>;
}> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const entry = { body: Buffer.concat(chunks).toString("utf8"), headers: req.headers, at: Date.now() };
      received.push(entry);
      res.statusCode = respond(entry, received.length - 1);
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/stripe/webhook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function eventTypes(received: Received[]): string[] {
  return received.map((entry) => (JSON.parse(entry.body) as { type: string }).type);
}
