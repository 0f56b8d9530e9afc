/**
 * The terms a reader agrees to at Checkout, in words (pure): the price and period, that it renews,
 * a trial or discount and what follows it, and how to cancel. The same text is shown on Stripe's
 * Checkout page above the Pay button (`custom_text.submit`) and kept, with its version and hash,
 * as the subscription's consent record.
 */
import { createHash } from "node:crypto";
import { formatMoney } from "./money";

/** Changes whenever the wording below changes, so a record says which wording was shown. */
export const CONSENT_TERMS_VERSION = "terms-2026-12-08";

export interface ConsentTermsInput {
  planName: string;
  amount: number;
  currency: string;
  interval: "month" | "year";
  trialDays: number;
  discount: { percentOff: number | null; amountOff: number | null; duration: "once" | "repeating" | "forever"; durationMonths: number | null } | null;
  cancelUrl: string;
}

export function consentTerms(input: ConsentTermsInput): string {
  const price = `${formatMoney(input.amount, input.currency)} per ${input.interval}`;
  const lines = [`${input.planName}: ${price}, charged ${input.trialDays > 0 ? "when the free trial ends" : "today"} and then every ${input.interval} until you cancel.`];
  if (input.trialDays > 0) lines.push(`Free trial: ${input.trialDays} days. Unless you cancel before it ends, you are then charged ${price}.`);
  const d = input.discount;
  if (d && (d.percentOff !== null || d.amountOff !== null)) {
    const off = d.percentOff !== null ? `${d.percentOff}% off` : `${formatMoney(d.amountOff!, input.currency)} off`;
    const span = d.duration === "once" ? "the first payment" : d.duration === "forever" ? "every payment" : `the first ${d.durationMonths} ${d.durationMonths === 1 ? "month" : "months"}`;
    lines.push(d.duration === "forever" ? `Discount: ${off} ${span}.` : `Discount: ${off} ${span}; after that ${price}.`);
  }
  lines.push(`It renews automatically. Cancel any time online, without signing in: ${input.cancelUrl}`);
  return lines.join(" ");
}

/** The SHA-256 of the text as shown (hex). */
export function termsHash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
