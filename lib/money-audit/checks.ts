/**
 * The money audit's rules over a gathered ledger (no I/O): each readable day against its
 * backing, each paid day readable, each invoice's discount against its offer's terms, each
 * redemption against its offer's rules, each trial and save offer against its limits, and
 * every payment credited to an account. See docs/money-audit.md.
 */
import type Stripe from "stripe";
import type { Offer } from "@/db/schema";
import { subscriptionEntitlement } from "@/lib/access/entitlement";
import { stripeFacts } from "./stripe-facts";
import { addMonths } from "@/lib/retention/retention-terms";
import { DAY_MS, grantRanges, invoicePeriod, isoDay, merge, oursMs, readableFromRow, significant, subtract, type Range } from "./day-ranges";
import type { Ledger, LedgerSubscription } from "./ledger";
import type { MoneyFinding, MoneyRule } from "./report-schema";

const YEAR_MS = 365 * DAY_MS;
const TRIAL_GIVES_DAYS_SECONDS = 3600;
const RENEWING = new Set(["trialing", "active"]);
const BILLED = new Set(["paid", "open", "uncollectible"]);
const money = (cents: number) => (cents / 100).toFixed(2);

type Discount = Stripe.Discount;
const asDiscount = (d: unknown): Discount | null => (d && typeof d === "object" && (d as { object?: string }).object === "discount" ? (d as Discount) : null);
const couponOf = (d: Discount): string | null => (typeof d.source.coupon === "string" ? d.source.coupon : (d.source.coupon?.id ?? null));
const priceOfLine = (invoice: Stripe.Invoice): string | null => {
  const price = invoice.lines?.data[0]?.pricing?.price_details?.price;
  return typeof price === "string" ? price : (price?.id ?? null);
};
const created = (s: LedgerSubscription) => oursMs(s.stripe.created, s.offsetSeconds);
const periodEndOf = (s: LedgerSubscription) => oursMs(s.stripe.items.data[0]?.current_period_end ?? s.stripe.created, s.offsetSeconds);
const isTrialInvoice = (s: LedgerSubscription, invoice: Stripe.Invoice) =>
  invoice.subtotal === 0 && s.stripe.trial_start !== null && invoice.period_start >= s.stripe.trial_start && invoice.period_start < (s.stripe.trial_end ?? 0);

export interface CheckResult {
  findings: MoneyFinding[];
  readableDays: number;
}

export function checkLedger(ledger: Ledger): CheckResult {
  const findings: MoneyFinding[] = [];
  const at = ledger.at.getTime();
  const found = (rule: MoneyRule, s: LedgerSubscription, range: Range, detail: string) =>
    findings.push({
      rule,
      subscription: s.stripe.id,
      account: ledger.accountLabels.get(s.account) ?? s.account,
      from: isoDay(range.start),
      to: isoDay(Math.max(range.start, range.end)),
      detail,
    });
  const offerById = new Map(ledger.offers.map((o) => [o.id, o]));
  const offerByCoupon = new Map(ledger.offers.filter((o) => o.stripeCouponId).map((o) => [o.stripeCouponId!, o]));
  const accounts = new Map<string, LedgerSubscription[]>();
  for (const s of [...ledger.subscriptions].sort((a, b) => a.stripe.created - b.stripe.created)) accounts.set(s.account, [...(accounts.get(s.account) ?? []), s]);

  // Trials: the account's first is entitled (one per account, ever); later ones back nothing.
  const entitledTrial = new Set<string>();
  for (const subs of accounts.values()) {
    // A trial ended within the hour it began (a checkout found ineligible when it settled) gave
    // no days, nor did a second subscription's canceled then.
    const trials = subs.filter((s) => s.stripe.trial_start !== null && (s.stripe.trial_end ?? 0) - s.stripe.trial_start > TRIAL_GIVES_DAYS_SECONDS && !canceledAsSecond(s, subs));
    trials.forEach((s, i) => {
      const range = { start: oursMs(s.stripe.trial_start!, s.offsetSeconds), end: oursMs(s.stripe.trial_end!, s.offsetSeconds) };
      if (i === 0) entitledTrial.add(s.stripe.id);
      else found("trial-repeated", s, range, `a trial of ${Math.round((range.end - range.start) / DAY_MS)} days; the account's first trial was on ${trials[0]!.stripe.id}`);
    });
  }

  // What each account's rows make readable from now on, and each subscription's own part.
  const readableBySub = new Map<string, Range[]>();
  const readableByAccount = new Map<string, Range[]>();
  for (const s of ledger.subscriptions) {
    const readable = s.row ? readableFromRow(s.row, ledger.at, ledger.graceDays) : [];
    readableBySub.set(s.stripe.id, readable);
    readableByAccount.set(s.account, [...(readableByAccount.get(s.account) ?? []), ...readable]);
  }
  for (const [account, ranges] of readableByAccount) readableByAccount.set(account, merge([...ranges, ...grantRanges(ledger.grants.get(account) ?? [])]));

  for (const s of ledger.subscriptions) {
    const grants = grantRanges(ledger.grants.get(s.account) ?? []);
    // 1. Each readable day against its backing.
    const backing: Range[] = [...grants];
    for (const invoice of s.invoices) {
      const period = invoicePeriod(invoice, s.offsetSeconds);
      if (invoice.status === "paid" && !isTrialInvoice(s, invoice)) backing.push(period);
      if (invoice.attempt_count > 0 && (invoice.status === "open" || invoice.status === "uncollectible")) {
        backing.push({ start: period.start, end: period.start + ledger.graceDays * DAY_MS });
      }
    }
    if (entitledTrial.has(s.stripe.id)) backing.push({ start: oursMs(s.stripe.trial_start!, s.offsetSeconds), end: oursMs(s.stripe.trial_end!, s.offsetSeconds) });
    for (const gap of significant(subtract(readableBySub.get(s.stripe.id) ?? [], backing))) {
      const voided = s.invoices.filter((i) => i.status === "void" && rangesMeet(invoicePeriod(i, s.offsetSeconds), gap)).map((i) => i.id);
      found("day-unbacked", s, gap, `readable by our rules (status ${s.row?.status}${s.row?.collectionPaused ? ", paused" : ""}) with no paid invoice, entitled trial, grant or grace${voided.length ? `; the period's invoice ${voided.join(", ")} is void` : ""}`);
    }

    // 2. Every paid day readable (unless refunded: by a credit note, or by a withdrawal's refund).
    for (const invoice of s.withdrawn ? [] : s.invoices) {
      if (invoice.status !== "paid" || invoice.amount_paid === 0 || invoice.post_payment_credit_notes_amount >= invoice.amount_paid) continue;
      const period = invoicePeriod(invoice, s.offsetSeconds);
      const ahead = { start: Math.max(period.start, at), end: period.end };
      for (const lost of significant(subtract([ahead], readableByAccount.get(s.account) ?? []))) {
        found("paid-day-unreadable", s, lost, `invoice ${invoice.id} paid ${money(invoice.amount_paid)} for these days; status ${s.row?.status ?? s.stripe.status}${s.row?.collectionPaused ? ", paused" : ""}`);
      }
    }

    // 3. Each invoice's discounts against the offer's terms and plans.
    checkInvoices(s, offerByCoupon, ledger, found);

    // 4. Every payment credited to an account.
    for (const invoice of s.invoices) {
      if (invoice.status !== "paid" || invoice.amount_paid === 0) continue;
      const customer = typeof invoice.customer === "string" ? invoice.customer : invoice.customer?.id;
      if (!s.row || !s.row.userId || !customer || !ledger.linkedCustomers.has(customer)) {
        found("payment-uncredited", s, invoicePeriod(invoice, s.offsetSeconds), `invoice ${invoice.id} paid ${money(invoice.amount_paid)}, but ${!s.row ? "we have no copy of the subscription" : "no account owns it"}`);
      }
    }

    // 5. Our copy never gives more than Stripe's object.
    if (s.row) {
      if (subscriptionEntitlement(s.row, ledger.at, ledger.graceDays) && !subscriptionEntitlement(stripeFacts(s), ledger.at, ledger.graceDays)) {
        const readable = readableBySub.get(s.stripe.id) ?? [];
        found("row-disagrees", s, { start: at, end: readable.at(-1)?.end ?? at }, `our row says ${s.row.status}${s.row.collectionPaused ? " (paused)" : ""} and readable; Stripe says ${s.stripe.status}${s.stripe.pause_collection ? " (paused)" : ""} and not`);
      }
    }
  }

  for (const [, subs] of accounts) {
    // 6. One renewing subscription per account: a second one bought by accident may keep the period
    // it paid for, but must not renew (docs/decisions/0023); two that renew charge twice for the same days.
    const renewing = subs.filter((s) => RENEWING.has(s.stripe.status) && !s.stripe.cancel_at_period_end && s.stripe.cancel_at === null);
    for (const s of renewing.slice(1)) found("second-subscription", s, { start: created(s), end: periodEndOf(s) }, `the account already had ${renewing[0]!.stripe.id} (${renewing[0]!.stripe.status}), and both renew`);
    // 7. Redemptions against the offer's rules, and save offers against theirs.
    checkRedemptions(subs, offerById, offerByCoupon, ledger, found);
    checkSaveOffers(subs, found);
  }
  checkMaxRedemptions(ledger, offerById, offerByCoupon, found);

  const readableDays = [...readableByAccount.values()].flat().reduce((n, r) => n + Math.max(0, Math.min(r.end, Number.MAX_SAFE_INTEGER) - r.start), 0);
  return { findings: dedupe(findings), readableDays: Math.round(Math.min(readableDays, 1e15) / DAY_MS) };
}

type Found = (rule: MoneyRule, s: LedgerSubscription, range: Range, detail: string) => void;

const rangesMeet = (a: Range, b: Range) => a.start < b.end && b.start < a.end;

function dedupe(findings: MoneyFinding[]): MoneyFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}|${f.subscription}|${f.from}|${f.to}|${f.detail}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What the offer takes off `amount` (Stripe's arithmetic: percentages rounded half up). */
function offerTakesOff(offer: Offer, amount: number): number {
  if (offer.kind === "percent") return Math.min(amount, Math.round((amount * (offer.percentOff ?? 0)) / 100));
  if (offer.kind === "amount") return Math.min(amount, offer.amountOff ?? 0);
  return 0;
}

/**
 * When a repeating discount stops (Stripe's clock, unix seconds): Stripe's own `end`, but never
 * later than the offer's months from its start (a day's slack for how month ends are clamped).
 */
function repeatingEnd(discount: Discount, offer: Offer): number {
  const byTerms = addMonths(new Date(discount.start * 1000), offer.durationMonths ?? 0).getTime() / 1000 + 86_400;
  return Math.min(discount.end ?? byTerms, byTerms);
}

function checkInvoices(s: LedgerSubscription, offerByCoupon: Map<string, Offer>, ledger: Ledger, found: Found): void {
  const usedOnce = new Set<string>();
  for (const invoice of s.invoices) {
    if (!BILLED.has(invoice.status ?? "") || invoice.subtotal === 0) continue;
    const period = invoicePeriod(invoice, s.offsetSeconds);
    const planId = ledger.planForPrice.get(priceOfLine(invoice) ?? "") ?? null;
    let remaining = invoice.subtotal;
    for (const entry of invoice.discounts ?? []) {
      const discount = asDiscount(entry);
      if (!discount) continue;
      const took = invoice.total_discount_amounts?.find((t) => (typeof t.discount === "string" ? t.discount : t.discount.id) === discount.id)?.amount ?? 0;
      const coupon = couponOf(discount);
      const offer = coupon ? offerByCoupon.get(coupon) : undefined;
      if (!offer) {
        found("invoice-amount", s, period, `invoice ${invoice.id}: ${money(took)} off from coupon ${coupon}, which no offer names`);
        continue;
      }
      if (planId === null || !offer.planIds.includes(planId)) {
        found("offer-plan", s, period, `invoice ${invoice.id}: offer "${offer.name}" (${offer.code}) took ${money(took)} off a plan it does not name (plan ${planId ?? "unknown"}; it names ${offer.planIds.join(", ")})`);
      }
      const expected = offerTakesOff(offer, remaining);
      const inTerm =
        offer.duration === "forever" ||
        (offer.duration === "once" && !usedOnce.has(discount.id)) ||
        (offer.duration === "repeating" && invoice.created < repeatingEnd(discount, offer));
      if (offer.duration === "once") usedOnce.add(discount.id);
      if (!inTerm) found("invoice-amount", s, period, `invoice ${invoice.id}: ${money(took)} off from offer "${offer.name}" (${offer.code}) after its ${offer.duration === "once" ? "one invoice" : `${offer.durationMonths} months`}`);
      else if (took !== expected) found("invoice-amount", s, period, `invoice ${invoice.id}: ${money(took)} off ${money(remaining)}; offer "${offer.name}" (${offer.code}) gives ${money(expected)}`);
      remaining -= took;
    }
  }
}

/** The offers a subscription was sold with at Checkout: its metadata's, or a Checkout discount's coupon. */
function checkoutOffers(s: LedgerSubscription, offerById: Map<number, Offer>, offerByCoupon: Map<string, Offer>): Offer[] {
  const out = new Map<number, Offer>();
  const named = Number(s.stripe.metadata?.masthead_offer_id);
  if (offerById.has(named)) out.set(named, offerById.get(named)!);
  const discounts = [...s.stripe.discounts, ...s.invoices.flatMap((i) => i.discounts ?? [])].map(asDiscount);
  for (const d of discounts) {
    const offer = d?.checkout_session ? offerByCoupon.get(couponOf(d) ?? "") : undefined;
    if (offer) out.set(offer.id, offer);
  }
  return [...out.values()];
}

/**
 * A second subscription canceled when it settled (docs/decisions/0023): it began while another
 * of the account's was live, ended within the hour with nothing paid, and so gave nothing. (A
 * reader's own first trial canceled at once still counts as the account's trial.)
 */
function canceledAsSecond(s: LedgerSubscription, subs: LedgerSubscription[]): boolean {
  const ended = s.stripe.ended_at;
  if (ended === null || ended - s.stripe.created > TRIAL_GIVES_DAYS_SECONDS || s.invoices.some((i) => i.status === "paid" && i.amount_paid > 0)) return false;
  // `subs` is the account's, in Stripe's order of creation.
  return subs.slice(0, subs.indexOf(s)).some((o) => o.stripe.ended_at === null || o.stripe.ended_at > s.stripe.created);
}

/**
 * Whether the offer was taken back when the checkout settled (docs/decisions/0024): a trial
 * offer's trial ended within the hour; a discount offer's discount is gone from the subscription,
 * and what it took off the invoices is billed back on them as invoice items (or waits on a
 * subscription that has not ended, to be billed on its next invoice or at its period's end).
 */
function offerTakenBack(s: LedgerSubscription, offer: Offer): boolean {
  if (offer.kind === "trial") {
    const start = s.stripe.trial_start;
    return start === null || (s.stripe.trial_end ?? start) - start <= TRIAL_GIVES_DAYS_SECONDS;
  }
  if (!offer.stripeCouponId || s.stripe.discounts.some((d) => asDiscount(d) && couponOf(asDiscount(d)!) === offer.stripeCouponId)) return false;
  let took = 0;
  let billedBack = 0;
  for (const invoice of s.invoices) {
    if (!BILLED.has(invoice.status ?? "")) continue;
    const coupons = new Map((invoice.discounts ?? []).map(asDiscount).filter((d): d is Discount => d !== null).map((d) => [d.id, couponOf(d)]));
    for (const t of invoice.total_discount_amounts ?? []) if (coupons.get(typeof t.discount === "string" ? t.discount : t.discount.id) === offer.stripeCouponId) took += t.amount;
    for (const line of invoice.lines?.data ?? []) if (line.parent?.type === "invoice_item_details") billedBack += line.amount;
  }
  const waiting = s.stripe.status === "canceled" || s.stripe.status === "incomplete_expired" ? 0 : s.pendingItems;
  return billedBack + waiting >= took;
}

function checkRedemptions(subs: LedgerSubscription[], offerById: Map<number, Offer>, offerByCoupon: Map<string, Offer>, ledger: Ledger, found: Found): void {
  const redeemed = new Map<number, LedgerSubscription>();
  subs.forEach((s, i) => {
    if (canceledAsSecond(s, subs)) return;
    const span = { start: created(s), end: periodEndOf(s) };
    // The plan it was bought on: its first invoice's (a later switch in the portal changes the item).
    const boughtPrice = (s.invoices[0] && priceOfLine(s.invoices[0])) ?? s.stripe.items.data[0]?.price.id ?? "";
    const plan = ledger.planForPrice.get(boughtPrice) ?? null;
    for (const offer of checkoutOffers(s, offerById, offerByCoupon)) {
      // Taken back at settle time: no redemption, and the reader is whole.
      if (offerTakenBack(s, offer)) continue;
      const earlier = subs.slice(0, i).filter((e) => e.stripe.status !== "incomplete_expired" && !canceledAsSecond(e, subs));
      if (offer.newCustomersOnly && earlier.length > 0) found("new-customers-only", s, span, `offer "${offer.name}" (${offer.code}) is for new customers; the account subscribed before (${earlier[0]!.stripe.id})`);
      if (offer.kind === "trial" && plan !== null && !offer.planIds.includes(plan)) found("offer-plan", s, span, `trial offer "${offer.name}" (${offer.code}) used on plan ${plan}; it names ${offer.planIds.join(", ")}`);
      const when = span.start;
      if ((offer.startsAt && when < offer.startsAt.getTime()) || (offer.endsAt && when >= offer.endsAt.getTime())) found("offer-window", s, span, `offer "${offer.name}" (${offer.code}) redeemed outside its dates`);
      const before = redeemed.get(offer.id);
      if (before) found("offer-once-per-account", s, span, `offer "${offer.name}" (${offer.code}) was already redeemed by this account on ${before.stripe.id}`);
      else redeemed.set(offer.id, s);
    }
    // Trial length: the offer's trial days, else the plan's.
    if (s.stripe.trial_start !== null && s.stripe.trial_end !== null) {
      const trialOffer = offerById.get(Number(s.stripe.metadata?.masthead_offer_id));
      const allowed = (trialOffer?.kind === "trial" ? trialOffer.trialDays : null) ?? (plan !== null ? ledger.planTrialDays.get(plan) : null) ?? 0;
      const days = (s.stripe.trial_end - s.stripe.trial_start) / 86_400;
      if (days > allowed + 1 / 24) {
        found("trial-length", s, { start: oursMs(s.stripe.trial_start, s.offsetSeconds), end: oursMs(s.stripe.trial_end, s.offsetSeconds) }, `a trial of ${days.toFixed(1)} days; the plan or offer gives ${allowed}`);
      }
    }
  });
}

/** At most one save offer per subscription, and one per account in 12 months. */
function checkSaveOffers(subs: LedgerSubscription[], found: Found): void {
  const taken = subs.flatMap((s) => s.saveOffers.map((o) => ({ s, ...o, ms: oursMs(o.at, s.offsetSeconds) }))).sort((a, b) => a.ms - b.ms);
  let lastCounted: number | null = null;
  const seenOn = new Set<string>();
  for (const t of taken) {
    const again = seenOn.has(t.s.stripe.id) || (lastCounted !== null && t.ms - lastCounted < YEAR_MS);
    if (again) {
      found("save-offer-repeated", t.s, { start: t.ms, end: Math.max(t.ms, periodEndOf(t.s)) }, `a ${t.kind === "pause" ? "pause" : `discount (${t.discount})`} taken again; ${seenOn.has(t.s.stripe.id) ? "this subscription" : "this account"} already had the save offer`);
    } else {
      lastCounted = t.ms;
    }
    seenOn.add(t.s.stripe.id);
  }
}

function checkMaxRedemptions(ledger: Ledger, offerById: Map<number, Offer>, offerByCoupon: Map<string, Offer>, found: Found): void {
  const byOffer = new Map<number, LedgerSubscription[]>();
  for (const s of [...ledger.subscriptions].sort((a, b) => a.stripe.created - b.stripe.created)) {
    for (const offer of checkoutOffers(s, offerById, offerByCoupon)) byOffer.set(offer.id, [...(byOffer.get(offer.id) ?? []), s]);
  }
  for (const [id, subs] of byOffer) {
    const offer = offerById.get(id)!;
    if (offer.maxRedemptions === null) continue;
    for (const s of subs.slice(offer.maxRedemptions)) {
      found("max-redemptions", s, { start: created(s), end: periodEndOf(s) }, `offer "${offer.name}" (${offer.code}) allows ${offer.maxRedemptions} redemptions; this is number ${subs.indexOf(s) + 1}`);
    }
  }
}
