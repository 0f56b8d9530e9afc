import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll } from "vitest";
import type { Db } from "@/db/client";
import { eq } from "drizzle-orm";
import { plans, subscriptions, users } from "@/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from "@/tools/stripe-emulator";
import { lateBound } from "../../support/late-bound";
import { createTestDatabase, type Engine, type TestDatabase } from "./databases";

export interface BillingApp {
  t: TestDatabase;
  emulator: StripeEmulator;
  /** The real SDK, pointed at the emulator (for the test's own look at Stripe). */
  api: Stripe;
  secret: string;
  /** Statuses the app's webhook handler answered to the emulator's deliveries. */
  statuses: number[];
  db(): Promise<Db>;
  /** Waits until the emulator has delivered every webhook, and the billing mail they recorded has been sent. */
  settle(): Promise<void>;
  /** Pays a hosted checkout page the way a browser's form post would; `code` is typed into its promotion code field. */
  pay(url: string, card: string, email: string, code?: string): Promise<Response>;
  close(): Promise<void>;
}

export interface BillingAppOptions {
  key: string;
  secret: string;
  intercept?: () => number | null;
  emulator?: Pick<StripeEmulatorOptions, "upcomingInvoiceDays">;
  admin?: { id: string; email: string };
}

/**
 * The app's billing on a fresh test database against an in-process Stripe emulator, whose signed
 * webhooks reach the app's real route handler over HTTP. Plans are seeded and pushed to Stripe.
 * `intercept` may answer a delivery itself (a status) instead of the app, to make Stripe retry;
 * `admin` is signed up as an admin for the test's admin commands.
 */
export async function startBillingApp(engine: Engine, options: BillingAppOptions): Promise<BillingApp> {
  const t = await createTestDatabase(engine);
  const statuses: number[] = [];
  const { POST } = await import("@/app/api/stripe/webhook/route");
  const receiver = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const forced = options.intercept?.();
    if (forced) {
      res.writeHead(forced).end();
      return;
    }
    const response = await POST(
      new Request("http://app.test/api/stripe/webhook", {
        method: "POST",
        headers: { "stripe-signature": String(req.headers["stripe-signature"] ?? "") },
        body: Buffer.concat(chunks).toString("utf8"),
      }),
    );
    statuses.push(response.status);
    res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const emulator = await startStripeEmulator({
    ...options.emulator,
    port: 0,
    webhooks: [{ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`, secret: options.secret }],
  });
  Object.assign(process.env, {
    AUTH_SECRET: "integration-secret-integration-secret-0123",
    SITE_URL: "http://ledger.test",
    STRIPE_SECRET_KEY: options.key,
    STRIPE_WEBHOOK_SECRET: options.secret,
    STRIPE_API_BASE: emulator.url,
  });
  if (t.url) process.env.DATABASE_URL = t.url;
  else process.env.DATA_DIR = "memory://";
  resetEnvForTests();
  const db = async () => (await import("@/db/client")).getDb();
  const { seedIfEmpty } = await import("@/lib/startup/seed");
  const { pushAllPlansToStripe } = await import("@/lib/billing/push-plans");
  await seedIfEmpty(await db());
  await pushAllPlansToStripe(await db());
  if (options.admin) await (await db()).insert(users).values({ ...options.admin, role: "admin" });

  return {
    t,
    emulator,
    api: new Stripe(options.key, { host: "127.0.0.1", port: emulator.port, protocol: "http" }),
    secret: options.secret,
    statuses,
    db,
    async settle() {
      await emulator.webhooksIdle();
      await (await import("@/lib/billing/billing-mail-delivery")).billingMailIdle();
    },
    async pay(url, card, email, code) {
      const page = await (await fetch(url)).text();
      const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
      if (!action) throw new Error("no form on the checkout page");
      return fetch(new URL(action, url), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email, card_number: card, ...(code ? { promotion_code: code } : {}) }),
        redirect: "manual",
      });
    },
    async close() {
      await emulator.close();
      await new Promise((resolve) => receiver.close(resolve));
      await (await import("@/db/client")).closeDb();
      (await import("@/lib/cache/ttl-cache")).clearAllCaches();
      await t.drop();
      delete process.env.DATABASE_URL;
    },
  };
}

/**
 * The billing app of a describe block: started before its tests (after the hooks the block
 * registered first) and closed after them.
 */
export function billingAppForSuite(engine: Engine, options: BillingAppOptions): BillingApp {
  const [app, setApp] = lateBound<BillingApp>("the billing app");
  beforeAll(async () => setApp(await startBillingApp(engine, options)));
  afterAll(() => app.close());
  return app;
}

/**
 * A reader who subscribes signed out through our Checkout with a card that pays: their account
 * and their newest subscription (the webhooks settled).
 */
export async function subscribeThroughCheckout(app: BillingApp, email: string, planName = "Monthly"): Promise<{ userId: string; subscriptionId: string }> {
  const db = await app.db();
  const { startCheckout } = await import("@/lib/billing/checkout");
  const [plan] = await db.select().from(plans).where(eq(plans.name, planName));
  const start = await startCheckout(db, { user: null, planId: plan!.id, returnPath: "/" });
  if (start.kind !== "checkout") throw new Error("expected a checkout");
  const paid = await app.pay(start.url, "4242424242424242", email);
  if (paid.status !== 303) throw new Error(`the checkout page answered ${paid.status}`);
  await app.settle();
  const [user] = await db.select().from(users).where(eq(users.email, email));
  const subs = await db.select().from(subscriptions).where(eq(subscriptions.userId, user!.id));
  return { userId: user!.id, subscriptionId: subs.at(-1)!.stripeSubscriptionId };
}
