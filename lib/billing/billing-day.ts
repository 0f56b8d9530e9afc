/**
 * A date on Stripe's clock as the reader's calendar day ("December 15, 2026"): shifted back by
 * the subscription's clock offset (0 against real Stripe; the emulator's clock may run ahead).
 */
export function billingDay(stripeDate: Date, clockOffsetSeconds = 0): string {
  return new Date(stripeDate.getTime() - clockOffsetSeconds * 1000).toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
}
