/** Ids with Stripe's prefixes (`cus_`, `sub_`, `cs_test_`, ...), random base62 bodies. */
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomBase62(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = "";
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    // 248 = 4 * 62: reject the tail to keep the distribution uniform.
    if (byte < 248) out += ALPHABET[byte % 62];
  }
  return out.length === length ? out : out + randomBase62(length - out.length);
}

export const PREFIXES = {
  customer: "cus_",
  product: "prod_",
  price: "price_",
  subscription: "sub_",
  subscriptionItem: "si_",
  invoice: "in_",
  invoiceLine: "il_",
  invoiceItem: "ii_",
  checkoutSession: "cs_test_",
  checkoutLineItem: "li_",
  portalSession: "bps_",
  portalConfiguration: "bpc_",
  event: "evt_",
  webhookEndpoint: "we_",
  webhookSecret: "whsec_",
  paymentMethod: "pm_",
  promotionCode: "promo_",
  discount: "di_",
  request: "req_",
  paymentIntent: "pi_",
  charge: "ch_",
  refund: "re_",
} as const;

export type IdKind = keyof typeof PREFIXES;

/** A coupon id as Stripe makes them when none is given: 8 characters, upper case and digits. */
export function newCouponId(): string {
  return randomBase62(16).toUpperCase().replace(/[^A-Z0-9]/g, "").slice(0, 8).padEnd(8, "0");
}

export function newId(kind: IdKind): string {
  const length = kind === "checkoutSession" ? 58 : kind === "webhookSecret" ? 32 : 24;
  return PREFIXES[kind] + randomBase62(length);
}
