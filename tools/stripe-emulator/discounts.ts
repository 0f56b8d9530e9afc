/**
 * Coupons and promotion codes becoming discounts: whether one may be redeemed (valid, not
 * expired, redemptions left, the right customer, first-time customers only, minimum amount),
 * redeeming it, which discounts are in force at a moment, and what they take off an invoice.
 * Percentages round half up to the currency's minor unit, per invoice line, as Stripe does.
 */
import type Stripe from "stripe";
import type { Emulator } from "./context";
import { invalidRequest, resourceMissing } from "./errors";
import { newId } from "./ids";
import { periodBoundary } from "./periods";

export interface Redeemable {
  coupon: Stripe.Coupon;
  promotionCode: Stripe.PromotionCode | null;
}

export interface RedeemContext {
  customer: string | null;
  currency: string;
  /** The amount before discounts the code is redeemed against (checkout), for minimum_amount. */
  subtotal: number | null;
}

const idOf = (value: string | { id: string } | null): string | null => (value === null ? null : typeof value === "string" ? value : value.id);

export function couponProblem(em: Emulator, coupon: Stripe.Coupon, currency: string): string | null {
  const now = em.clock.now();
  if (!coupon.valid || (coupon.redeem_by !== null && coupon.redeem_by <= now)) return `The coupon ${coupon.id} is no longer valid.`;
  if (coupon.max_redemptions !== null && coupon.times_redeemed >= coupon.max_redemptions) return `The coupon ${coupon.id} has been fully redeemed.`;
  if (coupon.amount_off !== null && coupon.currency !== currency) return `The coupon ${coupon.id} is in ${coupon.currency}, not ${currency}.`;
  return null;
}

/** Whether the customer has paid anything before (first_time_transaction restrictions). */
function hasPriorTransactions(em: Emulator, customer: string): boolean {
  return Object.values(em.store.state.invoices).some((invoice) => invoice.customer === customer && invoice.amount_paid > 0);
}

export function promotionCodeProblem(em: Emulator, promo: Stripe.PromotionCode, context: RedeemContext): string | null {
  const now = em.clock.now();
  const { restrictions } = promo;
  if (!promo.active) return "This promotion code is inactive.";
  if (promo.expires_at !== null && promo.expires_at <= now) return "This promotion code has expired.";
  if (promo.max_redemptions !== null && promo.times_redeemed >= promo.max_redemptions) return "This promotion code has been fully redeemed.";
  const onlyFor = idOf(promo.customer as string | { id: string } | null);
  if (onlyFor !== null && onlyFor !== context.customer) return "This promotion code cannot be redeemed by this customer.";
  if (restrictions.first_time_transaction && context.customer !== null && hasPriorTransactions(em, context.customer)) {
    return "This promotion code cannot be redeemed because the associated customer has prior transactions.";
  }
  if (restrictions.minimum_amount !== null && context.subtotal !== null) {
    if (restrictions.minimum_amount_currency !== context.currency || context.subtotal < restrictions.minimum_amount) {
      return "This promotion code requires a minimum order amount.";
    }
  }
  const coupon = em.store.state.coupons[idOf(promo.promotion.coupon) ?? ""];
  return coupon ? couponProblem(em, coupon, context.currency) : "This promotion code's coupon no longer exists.";
}

/** An active promotion code by its customer-facing code, case-insensitively. */
export function findPromotionCode(em: Emulator, code: string): Stripe.PromotionCode | undefined {
  const wanted = code.trim().toLowerCase();
  return Object.values(em.store.state.promotion_codes).find((promo) => promo.active && promo.code.toLowerCase() === wanted);
}

/** Resolves `{coupon}` or `{promotion_code}` from a request; throws Stripe's 400 naming `param`. */
export function resolveDiscount(em: Emulator, request: { coupon?: string | undefined; promotion_code?: string | undefined }, context: RedeemContext, param: string): Redeemable {
  if ((request.coupon === undefined) === (request.promotion_code === undefined)) {
    throw invalidRequest("Specify exactly one of coupon or promotion_code.", param);
  }
  const state = em.store.state;
  if (request.promotion_code !== undefined) {
    const promo = Object.hasOwn(state.promotion_codes, request.promotion_code) ? state.promotion_codes[request.promotion_code] : undefined;
    if (!promo) throw resourceMissing("promotion_code", request.promotion_code, `${param}[promotion_code]`, 400);
    const problem = promotionCodeProblem(em, promo, context);
    if (problem) throw invalidRequest(problem, `${param}[promotion_code]`);
    return { coupon: state.coupons[idOf(promo.promotion.coupon) ?? ""] as Stripe.Coupon, promotionCode: promo };
  }
  const id = request.coupon ?? "";
  const coupon = Object.hasOwn(state.coupons, id) ? state.coupons[id] : undefined;
  if (!coupon) throw resourceMissing("coupon", id, `${param}[coupon]`, 400);
  const problem = couponProblem(em, coupon, context.currency);
  if (problem) throw invalidRequest(problem, `${param}[coupon]`);
  return { coupon, promotionCode: null };
}

/** Counts the redemption and creates the discount; `start` is when its duration begins. */
export function redeem(
  em: Emulator,
  { coupon, promotionCode }: Redeemable,
  target: { customer: string; subscription: string | null; checkoutSession: string | null },
): Stripe.Discount {
  const now = em.clock.now();
  coupon.times_redeemed += 1;
  if (coupon.max_redemptions !== null && coupon.times_redeemed >= coupon.max_redemptions) coupon.valid = false;
  if (promotionCode) promotionCode.times_redeemed += 1;
  const end = coupon.duration === "repeating" && coupon.duration_in_months ? periodBoundary(now, "month", coupon.duration_in_months, 1) : null;
  const discount: Stripe.Discount = {
    id: newId("discount"),
    object: "discount",
    checkout_session: target.checkoutSession,
    customer: target.customer,
    customer_account: null,
    end,
    invoice: null,
    invoice_item: null,
    promotion_code: promotionCode?.id ?? null,
    source: { coupon: coupon.id, type: "coupon" },
    start: now,
    subscription: target.subscription,
    subscription_item: null,
  };
  em.store.state.discounts[discount.id] = discount;
  em.store.changed();
  return discount;
}

export function couponOf(em: Emulator, discount: Stripe.Discount): Stripe.Coupon | undefined {
  return em.store.state.coupons[idOf(discount.source.coupon) ?? ""];
}

/** The subscription's discounts still in force at `at` (a once-discount until it has been used). */
export function discountsInForce(em: Emulator, subscription: Stripe.Subscription, at: number): Stripe.Discount[] {
  return subscription.discounts
    .map((entry) => em.store.state.discounts[idOf(entry) ?? ""])
    .filter((d): d is Stripe.Discount => d !== undefined && (d.end === null || d.end > at));
}

/** Whether a discount has done its work: past its end, or a once-discount already on an invoice. */
export function discountSpent(em: Emulator, discount: Stripe.Discount, at: number): boolean {
  if (discount.end !== null && discount.end <= at) return true;
  if (couponOf(em, discount)?.duration !== "once") return false;
  return Object.values(em.store.state.invoices).some((invoice) => invoice.discounts.some((d) => idOf(d) === discount.id));
}

/** Applies discounts to a draft invoice's lines and totals, in order, each on what is left. */
export function applyDiscounts(em: Emulator, invoice: Stripe.Invoice, discounts: Stripe.Discount[]): void {
  if (discounts.length === 0) return;
  const totals = new Map<string, number>();
  const budget = new Map<string, number>();
  for (const discount of discounts) budget.set(discount.id, couponOf(em, discount)?.amount_off ?? 0);
  for (const line of invoice.lines.data) {
    // An invoice item made with discountable=false is charged in full.
    if (!line.discountable) continue;
    let remaining = line.amount;
    line.discounts = discounts.map((d) => d.id);
    line.discount_amounts = discounts.map((discount) => {
      const coupon = couponOf(em, discount);
      let amount = 0;
      if (coupon?.percent_off != null) amount = Math.min(remaining, Math.round((remaining * coupon.percent_off) / 100));
      else if (coupon?.amount_off != null) amount = Math.min(remaining, budget.get(discount.id) ?? 0);
      budget.set(discount.id, (budget.get(discount.id) ?? 0) - (coupon?.amount_off != null ? amount : 0));
      remaining -= amount;
      totals.set(discount.id, (totals.get(discount.id) ?? 0) + amount);
      return { amount, discount: discount.id };
    });
  }
  const off = [...totals.values()].reduce((sum, amount) => sum + amount, 0);
  invoice.discounts = discounts.map((d) => d.id);
  invoice.total_discount_amounts = discounts.map((d) => ({ amount: totals.get(d.id) ?? 0, discount: d.id }));
  invoice.total = invoice.subtotal - off;
  invoice.total_excluding_tax = invoice.total;
  invoice.amount_due = invoice.total;
  invoice.amount_remaining = invoice.total;
}

/** What a discount takes off `amount` (checkout totals before the subscription exists). */
export function discountOff(coupon: Stripe.Coupon, amount: number): number {
  if (coupon.percent_off !== null) return Math.min(amount, Math.round((amount * coupon.percent_off) / 100));
  return Math.min(amount, coupon.amount_off ?? 0);
}
