import "server-only";
import { asc, eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "@/db/client";
import { planPrices, plans, type Plan } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";
import { env } from "@/lib/env";
import { stripe } from "./stripe-client";

/**
 * Makes Stripe carry each plan: one product for the publication (so readers can switch between
 * plans in the billing portal) and, per plan, an active price matching the plan's amount,
 * currency and interval, named after the plan. Finds what exists before creating (our ids first, then the
 * product's metadata), and uses idempotency keys, so a retry after a crash creates nothing twice.
 * Stripe prices are immutable: a new amount gets a new price and the old one is archived;
 * subscribers stay on the price they bought.
 */
export async function pushPlanToStripe(db: Db, plan: Plan): Promise<{ productId: string; priceId: string }> {
  const api = stripe();
  const product = await findOrCreateProduct(plan);
  const wanted = { planId: String(plan.id), unit_amount: plan.amount, currency: plan.currency, interval: plan.interval };
  const own: Stripe.Price[] = [];
  for await (const price of api.prices.list({ product: product.id, limit: 100 })) {
    if (price.metadata.masthead_plan_id === String(plan.id)) own.push(price);
  }
  // The price to sell: one with the plan's terms, active or archived (going back to an earlier
  // amount reuses its price). An archived plan sells nothing.
  const keep = plan.active ? (own.find((p) => p.active && matches(p, wanted)) ?? own.find((p) => matches(p, wanted))) : undefined;
  for (const price of own) {
    if (price.active && price.id !== keep?.id) await api.prices.update(price.id, { active: false });
  }
  await db.update(planPrices).set({ active: false }).where(eq(planPrices.planId, plan.id));
  if (!plan.active) {
    await db.transaction(async (tx) => {
      await tx.update(plans).set({ stripeProductId: product.id }).where(eq(plans.id, plan.id));
      await announceChange(tx, "plans");
    });
    return { productId: product.id, priceId: plan.stripePriceId ?? "" };
  }
  let price = keep;
  if (price && (!price.active || price.nickname !== plan.name)) {
    price = await api.prices.update(price.id, { active: true, nickname: plan.name });
  }
  price ??= await api.prices.create(
    {
      product: product.id,
      unit_amount: plan.amount,
      currency: plan.currency,
      recurring: { interval: plan.interval },
      nickname: plan.name,
      metadata: { masthead_plan_id: String(plan.id) },
    },
    { idempotencyKey: `masthead-price-${plan.id}-${plan.amount}-${plan.currency}-${plan.interval}` },
  );
  const priceId = price.id;
  await db.transaction(async (tx) => {
    await tx
      .insert(planPrices)
      .values({ stripePriceId: priceId, planId: plan.id, amount: plan.amount, currency: plan.currency, interval: plan.interval, active: true })
      .onConflictDoUpdate({ target: planPrices.stripePriceId, set: { active: true } });
    await tx.update(plans).set({ stripeProductId: product.id, stripePriceId: priceId }).where(eq(plans.id, plan.id));
    await announceChange(tx, "plans");
  });
  return { productId: product.id, priceId };
}

async function findOrCreateProduct(plan: Plan): Promise<Stripe.Product> {
  const api = stripe();
  if (plan.stripeProductId) return api.products.retrieve(plan.stripeProductId);
  for await (const product of api.products.list({ limit: 100 })) {
    if (product.metadata.masthead_product === "subscription") return product;
  }
  return api.products.create(
    { name: `${env().SITE_NAME} subscription`, metadata: { masthead_product: "subscription" } },
    { idempotencyKey: "masthead-product-subscription" },
  );
}

function matches(price: Stripe.Price, wanted: { planId: string; unit_amount: number; currency: string; interval: string }): boolean {
  return (
    price.metadata.masthead_plan_id === wanted.planId &&
    price.unit_amount === wanted.unit_amount &&
    price.currency === wanted.currency &&
    price.recurring?.interval === wanted.interval
  );
}

/** Pushes every plan (npm run stripe:push-plans, and on start when a plan has no price yet). */
export async function pushAllPlansToStripe(db: Db): Promise<Array<{ plan: string; priceId: string }>> {
  const all = await db.select().from(plans).orderBy(asc(plans.sortOrder), asc(plans.id));
  const results = [];
  for (const plan of all) results.push({ plan: plan.name, priceId: (await pushPlanToStripe(db, plan)).priceId });
  return results;
}
