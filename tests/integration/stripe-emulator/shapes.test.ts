/**
 * The emulator's objects carry the same keys and value types as Stripe's published example
 * objects (../shared/stripe/fixtures3.json beside the repository, or the copy named by
 * STRIPE_FIXTURES), apart from a short list of differences that come from API versions.
 * Skipped where neither exists (a fresh clone).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StripeEmulator } from "../../../tools/stripe-emulator/index";
import { SHARED_DIR } from "../../support/fixtures";
import { catalog, startEmulator, subscribe } from "./helpers";

const FIXTURES = process.env.STRIPE_FIXTURES ?? path.join(SHARED_DIR, "stripe/fixtures3.json");

/** Fields stripe@23 (2026-10-28.endive) has that the fixtures' release lacks, and one it dropped. */
const VERSION_DIFFERENCES = new Set([
  "extra product.tax_details",
  "extra subscription.cancellation_details.feedback_option",
  "extra subscription.items.data[].current_trial",
  "extra subscription_item.current_trial",
  "extra subscription.trial_settings.end_behavior.billing_cycle_anchor",
  "extra checkout.session.allowed_payment_method_types",
  "extra invoice.lines.data[].pricing.price_details",
  "missing invoice.subscription",
  "extra invoice.amount_paid_off_stripe",
  // Only returned by the create call, as in Stripe.
  "extra webhook_endpoint.secret",
]);

type Kind = (v: unknown) => string;
const kind: Kind = (v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

function compare(fixture: unknown, ours: unknown, path: string, out: string[]): void {
  if (kind(fixture) === "object" && kind(ours) === "object") {
    const f = fixture as Record<string, unknown>;
    const o = ours as Record<string, unknown>;
    for (const key of Object.keys(f)) {
      if (!(key in o)) out.push(`missing ${path}.${key}`);
      else compare(f[key], o[key], `${path}.${key}`, out);
    }
    for (const key of Object.keys(o)) if (!(key in f)) out.push(`extra ${path}.${key}`);
  } else if (kind(fixture) === "array" && kind(ours) === "array") {
    const [a] = fixture as unknown[];
    const [b] = ours as unknown[];
    if (a !== undefined && b !== undefined) compare(a, b, `${path}[]`, out);
  } else if (kind(fixture) !== kind(ours) && kind(fixture) !== "null" && kind(ours) !== "null") {
    out.push(`type ${path}: ${kind(fixture)} in Stripe's, ${kind(ours)} here`);
  }
}

function wire(object: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(object)) as Record<string, unknown>;
  delete copy.lastResponse;
  return copy;
}

let emulator: StripeEmulator;
let stripe: Stripe;
const objects: Record<string, unknown> = {};

beforeAll(async () => {
  ({ emulator, stripe } = await startEmulator());
  const { monthly, product } = await catalog(stripe, "Shapes");
  const { session, subscription } = await subscribe(stripe, monthly);
  const coupon = await stripe.coupons.create({ percent_off: 50, duration: "repeating", duration_in_months: 3 });
  const code = await stripe.promotionCodes.create({ promotion: { type: "coupon", coupon: coupon.id } });
  const discounted = await stripe.subscriptions.update(subscription.id, { discounts: [{ promotion_code: code.id }], expand: ["discounts"] });
  const events = await stripe.events.list({ limit: 100 });
  Object.assign(objects, {
    customer: await stripe.customers.retrieve(session.customer as string),
    product: await stripe.products.retrieve(product.id),
    price: monthly,
    subscription,
    subscription_item: subscription.items.data[0],
    "checkout.session": session,
    invoice: await stripe.invoices.retrieve(subscription.latest_invoice as string),
    "billing_portal.session": await stripe.billingPortal.sessions.create({ customer: session.customer as string }),
    webhook_endpoint: await stripe.webhookEndpoints.create({ url: "http://127.0.0.1:9/hook", enabled_events: ["*"] }),
    coupon: await stripe.coupons.retrieve(coupon.id),
    promotion_code: await stripe.promotionCodes.retrieve(code.id),
    discount: discounted.discounts[0],
    event: events.data.find((e) => e.type === "customer.subscription.created"),
  });
});
afterAll(async () => {
  await emulator.close();
});

describe.skipIf(!existsSync(FIXTURES))("object shapes match Stripe's fixtures", () => {
  const fixtures = existsSync(FIXTURES)
    ? (JSON.parse(readFileSync(FIXTURES, "utf8")) as { resources: Record<string, unknown> }).resources
    : {};

  it.each([
    "customer",
    "product",
    "price",
    "subscription",
    "subscription_item",
    "checkout.session",
    "invoice",
    "billing_portal.session",
    "webhook_endpoint",
    "coupon",
    "promotion_code",
    "discount",
  ])("%s", (name) => {
    const differences: string[] = [];
    compare(fixtures[name], wire(objects[name]), name, differences);
    expect(differences.filter((d) => !VERSION_DIFFERENCES.has(d))).toEqual([]);
  });

  it("event (envelope, and data.object against its own type)", () => {
    const event = wire(objects.event) as Stripe.Event;
    const differences: string[] = [];
    const envelope = { ...event, data: {} };
    compare({ ...(fixtures.event as Record<string, unknown>), data: {} }, envelope, "event", differences);
    compare(fixtures.subscription, event.data.object, "subscription", differences);
    expect(differences.filter((d) => !VERSION_DIFFERENCES.has(d))).toEqual([]);
    expect(event.api_version).toBe("2026-10-28.endive");
  });
});
