/** Billing period arithmetic in UTC: months keep the anchor's day, clamped to short months. */
import type Stripe from "stripe";

type Interval = Stripe.Price.Recurring.Interval;

function addMonthsClamped(date: Date, months: number, anchorDay: number): Date {
  const result = new Date(date.getTime());
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(anchorDay, lastDay));
  return result;
}

/** The end of the `n`th period after `anchor` (unix seconds). */
export function periodBoundary(anchor: number, interval: Interval, count: number, n: number): number {
  const start = new Date(anchor * 1000);
  switch (interval) {
    case "day":
      return anchor + n * count * 86_400;
    case "week":
      return anchor + n * count * 7 * 86_400;
    case "month":
      return Math.floor(addMonthsClamped(start, n * count, start.getUTCDate()).getTime() / 1000);
    default:
      return Math.floor(addMonthsClamped(start, n * count * 12, start.getUTCDate()).getTime() / 1000);
  }
}

/** The first period boundary after `after`, counting from `anchor`. */
export function nextPeriodEnd(anchor: number, interval: Interval, count: number, after: number): number {
  for (let n = 1; n < 100_000; n++) {
    const boundary = periodBoundary(anchor, interval, count, n);
    if (boundary > after) return boundary;
  }
  throw new Error("period arithmetic did not converge");
}
