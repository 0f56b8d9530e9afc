/**
 * Days as ranges of instants on our clock, [start, end) in milliseconds: what our entitlement
 * rules make readable from a subscription's row, and what backs a day. Pure.
 */
import type Stripe from "stripe";
import type { Grant } from "@/db/schema";
import { subscriptionEntitlement } from "@/lib/access/entitlement";
import { onOurClock, type SubscriptionFacts } from "@/lib/access/subscription-facts";

export const DAY_MS = 86_400_000;

export interface Range {
  start: number;
  end: number;
}

/** Sorted, overlapping and touching ranges joined, empty ones dropped. */
export function merge(ranges: readonly Range[]): Range[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/** The parts of `ranges` that `cover` does not cover. */
export function subtract(ranges: readonly Range[], cover: readonly Range[]): Range[] {
  let rest = merge(ranges);
  for (const c of merge(cover)) {
    rest = rest.flatMap((r) => {
      if (c.end <= r.start || c.start >= r.end) return [r];
      return [
        { start: r.start, end: c.start },
        { start: c.end, end: r.end },
      ].filter((p) => p.end > p.start);
    });
  }
  return rest;
}

/** Gaps shorter than this are clock rounding (Stripe's seconds, our offset rounded up), not days. */
export const TOLERANCE_MS = 10 * 60_000;
export const significant = (ranges: readonly Range[]) => ranges.filter((r) => r.end - r.start > TOLERANCE_MS);

/**
 * What our entitlement rules make readable from this row, from `at` on, without another payment:
 * to the current period's end (a renewal is its own invoice's business), or the grace's end
 * while past due. The rules are asked at every instant where the row's dates change the answer.
 */
export function readableFromRow(row: SubscriptionFacts, at: Date, graceDays: number): Range[] {
  const ours = (d: Date | null) => (d === null ? null : onOurClock(d, row.clockOffsetSeconds).getTime());
  const now = at.getTime();
  const periodEnd = ours(row.currentPeriodEnd) ?? now;
  const graceEnd = row.status === "past_due" && row.currentPeriodStart ? ours(row.currentPeriodStart)! + graceDays * DAY_MS : null;
  const horizon = Math.max(periodEnd, graceEnd ?? 0);
  if (horizon <= now) return [];
  // Every date among the facts (whatever columns the rules read) may change the answer.
  const dates = Object.values(row).filter((v): v is Date => v instanceof Date);
  const cuts = [now, horizon, ...dates.map(ours), graceEnd]
    .filter((t): t is number => t !== null && t >= now && t <= horizon)
    .sort((a, b) => a - b);
  const ranges: Range[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [start, end] = [cuts[i]!, cuts[i + 1]!];
    if (end > start && subscriptionEntitlement(row, new Date(start), graceDays)) ranges.push({ start, end });
  }
  return merge(ranges);
}

export function grantRanges(grants: readonly Grant[]): Range[] {
  return merge(
    grants.map((g) => ({
      start: g.startsAt.getTime(),
      end: Math.min(g.endsAt?.getTime() ?? Number.MAX_SAFE_INTEGER, g.revokedAt?.getTime() ?? Number.MAX_SAFE_INTEGER),
    })),
  );
}

/** An invoice's service period (its line's, as our rows take it), on our clock. */
export function invoicePeriod(invoice: Stripe.Invoice, offsetSeconds: number): Range {
  const line = invoice.lines?.data[0];
  const start = line?.period?.start ?? invoice.period_start;
  const end = line?.period?.end ?? invoice.period_end;
  return { start: (start - offsetSeconds) * 1000, end: (end - offsetSeconds) * 1000 };
}

/** A Stripe instant (unix seconds) on our clock, in milliseconds. */
export const oursMs = (unix: number, offsetSeconds: number) => (unix - offsetSeconds) * 1000;

export const isoDay = (ms: number) => new Date(ms).toISOString();
