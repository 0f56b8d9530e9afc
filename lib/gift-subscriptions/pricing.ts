import type { Plan } from "@/db/schema";

/**
 * What `months` of a plan cost as a gift, in minor units: a monthly plan's price per month; a
 * yearly plan's price for 12 months and its twelfth per month (rounded up) for fewer.
 */
export function giftPrice(plan: Pick<Plan, "amount" | "interval">, months: number): number {
  if (plan.interval === "month") return plan.amount * months;
  return months === 12 ? plan.amount : Math.ceil(plan.amount / 12) * months;
}

/** `start` plus whole calendar months (UTC), clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(start: Date, months: number): Date {
  const d = new Date(start);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** The date (YYYY-MM-DD) at `now` in `timeZone`. */
export function dateIn(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export const monthsText = (months: number) => `${months} ${months === 1 ? "month" : "months"}`;
