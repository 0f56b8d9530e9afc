import "server-only";
/**
 * While a plan-restricted offer's discount runs, the billing portal offers only the offer's
 * prices (docs/decisions/0024). Stripe keeps a discount across a price switch and bills an
 * interval change (Monthly → Yearly) at once, before our webhook can remove the discount
 * (offer-plans.ts, the second line), so the switch must not be on offer at all. Nor is a switch
 * from a paid year to a shorter interval, which would forfeit the rest of the year (allowedPrices).
 *
 * The configuration is the publisher's default one (its dashboard settings) with
 * `subscription_update.products` cut down to the allowed prices. Stripe keeps it: it is found
 * again by its metadata (the allowed prices and the default's version) and made only once.
 */
import { inArray } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "@/db/client";
import { offers, planPrices, plans } from "@/db/schema";
import { stripe } from "./stripe-client";
import { idOf } from "./stripe-rows";

const KIND_KEY = "masthead_portal";
const KIND = "offer_plans";
const PRICES_KEY = "masthead_prices";
const BASE_KEY = "masthead_base";

/** The configuration id for `customer`'s portal session, or null when the default one may be used. */
export async function portalConfigurationFor(db: Db, customerId: string): Promise<string | null> {
  const allowed = await allowedPrices(db, customerId);
  if (allowed === null) return null;
  const base = (await stripe().billingPortal.configurations.list({ is_default: true, limit: 1 })).data[0];
  const update = base?.features.subscription_update;
  // Without a default that switches prices, nothing can be switched to: nothing to restrict.
  if (!base || !update?.enabled || !update.default_allowed_updates.includes("price")) return null;
  const listedByBase = update.products?.length ? new Set(update.products.flatMap((p) => p.prices)) : null;
  const prices = [...allowed].filter((id) => listedByBase === null || listedByBase.has(id)).sort();
  return findOrCreate(base, prices);
}

/**
 * The prices the customer's portal may switch to, or null when the default configuration may be
 * used. Two rules, each cutting the list:
 * - while a plan-restricted offer discounts one of the customer's live subscriptions, only the
 *   offer's plans (the intersection of their plans' prices);
 * - never to a shorter billing interval than a paid subscription's (Yearly to Monthly): Stripe
 *   restarts the cycle on an interval change, and with the portal's proration off it credits
 *   nothing for the rest of the paid year, a paid day the reader could no longer read. A Yearly
 *   reader moves to Monthly by cancelling and choosing Monthly when the year ends.
 */
async function allowedPrices(db: Db, customerId: string): Promise<Set<string> | null> {
  const subscriptions = await stripe().subscriptions.list({ customer: customerId, limit: 100, expand: ["data.discounts"] });
  const priced = (await db.select({ id: plans.id, price: plans.stripePriceId }).from(plans)).filter((p): p is { id: number; price: string } => p.price !== null);
  let allowed = new Set(priced.map((p) => p.price));

  const couponIds = subscriptions.data
    .flatMap((s) => s.discounts)
    .map((d) => (typeof d === "string" ? null : idOf(d.source.coupon)))
    .filter((id): id is string => id !== null);
  const discounting = couponIds.length === 0 ? [] : await db.select({ planIds: offers.planIds }).from(offers).where(inArray(offers.stripeCouponId, couponIds));
  allowed = new Set(priced.filter((p) => allowed.has(p.price) && discounting.every((offer) => offer.planIds.includes(p.id))).map((p) => p.price));

  // A paid period (not a trial, which keeps its end across a switch) sets the shortest interval on offer.
  const paidDays = subscriptions.data
    .filter((s) => s.status === "active" || s.status === "past_due")
    .map((s) => intervalDays(s.items.data[0]?.price.recurring ?? null));
  const longest = Math.max(0, ...paidDays);
  if (longest > 0) {
    const intervals = await db.select({ price: planPrices.stripePriceId, interval: planPrices.interval }).from(planPrices).where(inArray(planPrices.stripePriceId, [...allowed]));
    const days = new Map(intervals.map((i) => [i.price, intervalDays({ interval: i.interval, interval_count: 1 })]));
    allowed = new Set([...allowed].filter((price) => (days.get(price) ?? 0) >= longest));
  }
  // Nothing cut: the default configuration serves.
  return allowed.size === priced.length ? null : allowed;
}

/** A billing interval's length in days, to compare Monthly with Yearly. */
function intervalDays(recurring: { interval: string; interval_count: number } | null): number {
  if (!recurring) return 0;
  const unit = { day: 1, week: 7, month: 30, year: 365 }[recurring.interval] ?? 0;
  return unit * recurring.interval_count;
}

async function findOrCreate(base: Stripe.BillingPortal.Configuration, prices: string[]): Promise<string> {
  const wanted = { [KIND_KEY]: KIND, [PRICES_KEY]: prices.join(","), [BASE_KEY]: `${base.id}@${base.updated}` };
  for await (const configuration of stripe().billingPortal.configurations.list({ active: true, limit: 100 })) {
    const metadata = configuration.metadata ?? {};
    if (Object.entries(wanted).every(([key, value]) => metadata[key] === value)) return configuration.id;
  }
  const created = await stripe().billingPortal.configurations.create({ ...(await restrictedCopy(base, prices)), metadata: wanted, name: "Limited plan switches" });
  return created.id;
}

/** The default configuration's settings, with price switches limited to `prices` (none when empty). */
async function restrictedCopy(base: Stripe.BillingPortal.Configuration, prices: string[]): Promise<Omit<Stripe.BillingPortal.ConfigurationCreateParams, "metadata">> {
  const f = base.features;
  const cancel = f.subscription_cancel;
  const update = f.subscription_update;
  const profile = base.business_profile;
  return {
    ...(base.default_return_url ? { default_return_url: base.default_return_url } : {}),
    business_profile: {
      ...(profile.headline ? { headline: profile.headline } : {}),
      ...(profile.privacy_policy_url ? { privacy_policy_url: profile.privacy_policy_url } : {}),
      ...(profile.terms_of_service_url ? { terms_of_service_url: profile.terms_of_service_url } : {}),
    },
    features: {
      customer_update: { enabled: f.customer_update.enabled, ...(f.customer_update.enabled ? { allowed_updates: f.customer_update.allowed_updates } : {}) },
      invoice_history: { enabled: f.invoice_history.enabled },
      payment_method_update: { enabled: f.payment_method_update.enabled },
      subscription_cancel: {
        enabled: cancel.enabled,
        mode: cancel.mode,
        proration_behavior: cancel.proration_behavior,
        ...(cancel.cancellation_reason.enabled ? { cancellation_reason: { enabled: true, options: cancel.cancellation_reason.options } } : {}),
      },
      ...(f.subscription_pause.enabled ? { subscription_pause: { enabled: true } } : {}),
      subscription_update:
        prices.length === 0
          ? { enabled: false }
          : {
              enabled: true,
              default_allowed_updates: update.default_allowed_updates,
              products: await productsOf(prices),
              proration_behavior: update.proration_behavior,
              ...(update.billing_cycle_anchor ? { billing_cycle_anchor: update.billing_cycle_anchor } : {}),
            },
    },
  };
}

/** Stripe lists a configuration's prices under their products. */
async function productsOf(prices: string[]): Promise<Array<{ product: string; prices: string[] }>> {
  const byProduct = new Map<string, string[]>();
  for (const id of prices) {
    const product = idOf((await stripe().prices.retrieve(id)).product)!;
    byProduct.set(product, [...(byProduct.get(product) ?? []), id]);
  }
  return [...byProduct].map(([product, ids]) => ({ product, prices: ids }));
}
