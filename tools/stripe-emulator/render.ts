/**
 * Turns stored objects into what the API returns: a deep copy with embedded prices (and their
 * legacy `plan` twins) refreshed from the store, and id lookups by prefix for `expand[]`.
 */
import type Stripe from "stripe";
import type { Emulator } from "./context";

/** Stripe sends decimals as strings on the wire; the SDK types them as its Decimal class. */
export function decimal(value: number): Stripe.Decimal {
  return String(value) as unknown as Stripe.Decimal;
}

export function planFromPrice(price: Stripe.Price): Stripe.Plan {
  return {
    id: price.id,
    object: "plan",
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: price.recurring?.interval ?? "month",
    interval_count: price.recurring?.interval_count ?? 1,
    livemode: false,
    metadata: { ...price.metadata },
    meter: null,
    nickname: price.nickname,
    product: typeof price.product === "string" ? price.product : price.product.id,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: price.recurring?.trial_period_days ?? null,
    usage_type: price.recurring?.usage_type ?? "licensed",
  };
}

export function renderSubscription(em: Emulator, subscription: Stripe.Subscription): Stripe.Subscription {
  const copy = structuredClone(subscription);
  for (const item of copy.items.data) {
    const price = em.store.state.prices[item.price.id];
    if (price) {
      item.price = structuredClone(price);
      item.plan = planFromPrice(price);
    }
  }
  return copy;
}

/** What the emulator stores and answers as Stripe objects. */
export type Renderable =
  | Stripe.Customer
  | Stripe.Product
  | Stripe.Price
  | Stripe.Subscription
  | Stripe.Invoice
  | Stripe.InvoiceItem
  | Stripe.Checkout.Session
  | Stripe.BillingPortal.Session
  | Stripe.BillingPortal.Configuration
  | Stripe.Event
  | Stripe.Coupon
  | Stripe.PromotionCode
  | Stripe.Discount
  | Stripe.PaymentIntent
  | Stripe.Refund;

export function render<T extends Renderable>(em: Emulator, object: T): T {
  if (object.object === "subscription") return renderSubscription(em, object) as T;
  return structuredClone(object);
}

/** The stored object an id points at, rendered; undefined when unknown. */
export function lookupById(em: Emulator, id: string): Renderable | undefined {
  const s = em.store.state;
  const found: Renderable | undefined = id.startsWith("cus_")
    ? s.customers[id]
    : id.startsWith("prod_")
      ? s.products[id]
      : id.startsWith("price_")
        ? s.prices[id]
        : id.startsWith("sub_")
          ? s.subscriptions[id]
          : id.startsWith("in_")
            ? s.invoices[id]
            : id.startsWith("ii_")
            ? s.invoice_items[id]
            : id.startsWith("cs_")
              ? s.checkout_sessions[id]
              : id.startsWith("bps_")
                ? s.portal_sessions[id]
                : id.startsWith("bpc_")
                  ? s.portal_configurations[id]
                  : id.startsWith("evt_")
                  ? s.events[id]
                  : id.startsWith("promo_")
                    ? s.promotion_codes[id]
                    : id.startsWith("di_")
                      ? s.discounts[id]
                      : id.startsWith("pi_")
                        ? s.payment_intents[id]
                        : id.startsWith("re_")
                          ? s.refunds[id]
                          : // Custom product and coupon ids (both can be created with any id).
                        (s.products[id] ?? s.coupons[id]);
  return found ? render(em, found) : undefined;
}
