/**
 * Coupons, promotion codes and discounts in the emulator: each kind of offer through Checkout
 * bills the right amounts over 14 months of emulator clock; the restrictions refuse what they
 * should (first-time customers, max redemptions under concurrency, expiry, minimum amount);
 * discounts added to a running subscription; trial_will_end; pause_collection; pause/resume.
 */
import type Stripe from "stripe";
import { beforeEach, describe, expect, it } from "vitest";
import { CARDS, advanceDays, catalog, payCheckout, emulatorForFile } from "./helpers";

const { emulator, stripe } = emulatorForFile();
let monthly: Stripe.Price;
let yearly: Stripe.Price;

beforeEach(async () => {
  await emulator.reset();
  ({ monthly, yearly } = await catalog(stripe, "Offers Daily"));
});

type Checkout = Stripe.Checkout.SessionCreateParams;

async function open(price: Stripe.Price, extra: Partial<Checkout> = {}, email = "reader@example.com"): Promise<Stripe.Checkout.Session> {
  return stripe.checkout.sessions.create({
    mode: "subscription",
    line_items: [{ price: price.id, quantity: 1 }],
    success_url: "http://app.test/welcome",
    ...(extra.customer ? {} : { customer_email: email }),
    ...extra,
  });
}

async function buy(price: Stripe.Price, extra: Partial<Checkout> = {}, email?: string): Promise<Stripe.Subscription> {
  const session = await open(price, extra, email);
  const paid = await payCheckout(session.url ?? "", CARDS.ok, email);
  expect(paid.status, await paid.clone().text()).toBe(303);
  const done = await stripe.checkout.sessions.retrieve(session.id);
  return stripe.subscriptions.retrieve(done.subscription as string);
}

/** Every invoice of the subscription, oldest first, as [total, subtotal, discount]. */
async function amounts(subscription: string): Promise<Array<[number, number, number]>> {
  const invoices = await stripe.invoices.list({ subscription, limit: 100 });
  return invoices.data.reverse().map((i) => [i.total, i.subtotal, (i.total_discount_amounts ?? []).reduce((s, d) => s + d.amount, 0)]);
}

async function promo(coupon: Stripe.CouponCreateParams, code: Partial<Stripe.PromotionCodeCreateParams> = {}): Promise<Stripe.PromotionCode> {
  const created = await stripe.coupons.create(coupon);
  return stripe.promotionCodes.create({ promotion: { type: "coupon", coupon: created.id }, ...code });
}

const months = (n: number, total: number, list = 900): Array<[number, number, number]> => Array.from({ length: n }, () => [total, list, list - total]);

describe("each offer type bills right over 14 months", () => {
  it.each([
    ["$2 a month for 3 months (amount off, repeating)", { amount_off: 700, currency: "eur", duration: "repeating", duration_in_months: 3 } as const, [...months(3, 200), ...months(12, 900)]],
    ["50% off for 3 months (percent, repeating)", { percent_off: 50, duration: "repeating", duration_in_months: 3 } as const, [...months(3, 450), ...months(12, 900)]],
    ["a 100%-off first month (percent, once)", { percent_off: 100, duration: "once" } as const, [...months(1, 0), ...months(14, 900)]],
    ["20% off forever", { percent_off: 20, duration: "forever" } as const, months(15, 720)],
    ["33.5% off once rounds half up per line (301.5 → 302 off)", { percent_off: 33.5, duration: "once" } as const, [...months(1, 598), ...months(14, 900)]],
  ])("%s", async (_name, coupon, expected) => {
    const code = await promo(coupon, { code: "OFFER" });
    const subscription = await buy(monthly, { discounts: [{ promotion_code: code.id }] });
    expect(subscription.discounts).toHaveLength(1);
    await advanceDays(emulator, 14 * 31);
    expect(await amounts(subscription.id)).toEqual(expected);
    const after = await stripe.subscriptions.retrieve(subscription.id, { expand: ["discounts"] });
    expect(after.discounts).toHaveLength(coupon.duration === "forever" ? 1 : 0);
    expect((await stripe.promotionCodes.retrieve(code.id)).times_redeemed).toBe(1);
  });

  it("a free trial is a trial: 0 now, full price after", async () => {
    const subscription = await buy(monthly, { subscription_data: { trial_period_days: 30 } });
    await advanceDays(emulator, 14 * 31);
    const list = await amounts(subscription.id);
    expect(list[0]).toEqual([0, 0, 0]);
    expect(list.slice(1).every(([total]) => total === 900)).toBe(true);
  });

  it("a yearly plan with half off the first year", async () => {
    const code = await promo({ percent_off: 50, duration: "once" });
    const subscription = await buy(yearly, { discounts: [{ promotion_code: code.id }] });
    await advanceDays(emulator, 14 * 31);
    expect(await amounts(subscription.id)).toEqual([[4500, 9000, 4500], [9000, 9000, 0]]);
  });

  it("invoices carry discounts, total_discount_amounts and per-line discount_amounts; the session its totals", async () => {
    const code = await promo({ amount_off: 700, currency: "eur", duration: "repeating", duration_in_months: 3, name: "3 months for €2" });
    const session = await open(monthly, { discounts: [{ promotion_code: code.id }] });
    expect(session).toMatchObject({ amount_subtotal: 900, amount_total: 200, total_details: { amount_discount: 700 } });
    await payCheckout(session.url ?? "", CARDS.ok);
    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ["subscription.discounts"] });
    const subscription = done.subscription as Stripe.Subscription;
    const [discount] = subscription.discounts as Stripe.Discount[];
    expect(discount).toMatchObject({ object: "discount", promotion_code: code.id, source: { type: "coupon" }, subscription: subscription.id });
    // Three calendar months from redemption (a 31st clamps to the month's last day).
    expect(((discount?.end ?? 0) - (discount?.start ?? 0)) / 86_400).toBeGreaterThanOrEqual(89);
    expect(((discount?.end ?? 0) - (discount?.start ?? 0)) / 86_400).toBeLessThanOrEqual(92);
    const invoice = await stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(invoice).toMatchObject({ subtotal: 900, total: 200, amount_due: 200, amount_paid: 200, discounts: [discount?.id] });
    expect(invoice.total_discount_amounts).toEqual([{ amount: 700, discount: discount?.id }]);
    expect(invoice.lines.data[0]?.discount_amounts).toEqual([{ amount: 700, discount: discount?.id }]);
    const page = await (await fetch(invoice.hosted_invoice_url ?? "")).text();
    expect(page).toContain("Discount (3 months for €2)");
  });
});

describe("invoice items", () => {
  it("a pending item for a subscription goes on its next invoice once, undiscounted when discountable=false; a foreign subscription is refused", async () => {
    const coupon = await stripe.coupons.create({ percent_off: 50, duration: "forever" });
    const session = await open(monthly, { discounts: [{ coupon: coupon.id }] });
    await payCheckout(session.url ?? "", CARDS.ok);
    const done = await stripe.checkout.sessions.retrieve(session.id);
    const subscription = done.subscription as string;
    const customer = done.customer as string;
    const item = await stripe.invoiceItems.create({ customer, subscription, amount: 450, currency: "eur", description: "Difference", discountable: false });
    expect(item).toMatchObject({ object: "invoiceitem", amount: 450, invoice: null, discountable: false, parent: { type: "subscription_details", subscription_details: { subscription } } });
    await advanceDays(emulator, 32);
    const renewal = (await stripe.invoices.list({ subscription, limit: 1 })).data[0]!;
    // 900 at half price, plus the item in full.
    expect(renewal).toMatchObject({ subtotal: 1350, total: 900, amount_paid: 900 });
    expect(renewal.lines.data.map((l) => [l.amount, l.discountable])).toEqual([[900, true], [450, false]]);
    expect((await stripe.invoiceItems.retrieve(item.id)).invoice).toBe(renewal.id);
    await advanceDays(emulator, 31);
    expect((await stripe.invoices.list({ subscription, limit: 1 })).data[0]).toMatchObject({ total: 450 });
    const other = await stripe.customers.create({ email: "someone-else@example.com" });
    await expect(stripe.invoiceItems.create({ customer: other.id, subscription, amount: 100, currency: "eur" })).rejects.toMatchObject({ statusCode: 400, param: "subscription" });
  });

  it("a subscription ending at its period's end charges its pending items on a last invoice; the list filters pending ones", async () => {
    const session = await open(monthly);
    await payCheckout(session.url ?? "", CARDS.ok);
    const done = await stripe.checkout.sessions.retrieve(session.id);
    const subscription = done.subscription as string;
    const customer = done.customer as string;
    const item = await stripe.invoiceItems.create({ customer, subscription, amount: 450, currency: "eur", discountable: false });
    expect((await stripe.invoiceItems.list({ customer, pending: true })).data.map((i) => i.id)).toEqual([item.id]);
    await stripe.subscriptions.update(subscription, { cancel_at_period_end: true });
    await advanceDays(emulator, 32);
    expect((await stripe.subscriptions.retrieve(subscription)).status).toBe("canceled");
    const last = (await stripe.invoices.list({ subscription, limit: 1 })).data[0]!;
    expect(last).toMatchObject({ status: "paid", billing_reason: "manual", total: 450, amount_paid: 450 });
    expect(last.lines.data.map((l) => l.parent?.type)).toEqual(["invoice_item_details"]);
    expect((await stripe.invoiceItems.list({ customer, pending: true })).data).toEqual([]);
    expect((await stripe.invoiceItems.list({ customer, pending: false })).data.map((i) => i.invoice)).toEqual([last.id]);
  });
});

describe("restrictions", () => {
  it("first_time_transaction refuses a customer who has paid before", async () => {
    const first = await buy(monthly);
    const code = await promo({ percent_off: 50, duration: "once" }, { restrictions: { first_time_transaction: true } });
    const refused = await open(monthly, { customer: first.customer as string, discounts: [{ promotion_code: code.id }] }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ statusCode: 400, param: "discounts[0][promotion_code]", message: expect.stringMatching(/prior transactions/) });
    expect((await buy(monthly, { discounts: [{ promotion_code: code.id }] }, "new@example.com")).discounts).toHaveLength(1);
  });

  it("max_redemptions holds when two checkouts are paid at once", async () => {
    const code = await promo({ percent_off: 50, duration: "once" }, { max_redemptions: 1 });
    const sessions = await Promise.all(["a@example.com", "b@example.com"].map((email) => open(monthly, { discounts: [{ promotion_code: code.id }] }, email)));
    const results = await Promise.all(sessions.map((s, i) => payCheckout(s.url ?? "", CARDS.ok, `${"ab"[i]}@example.com`)));
    expect(results.map((r) => r.status).sort()).toEqual([303, 402]);
    expect(await results.find((r) => r.status === 402)?.text()).toContain("fully redeemed");
    expect((await stripe.promotionCodes.retrieve(code.id)).times_redeemed).toBe(1);
    expect((await stripe.subscriptions.list()).data).toHaveLength(1);
  });

  it("an expired code and a too-small order are refused; a deleted coupon redeems no more", async () => {
    const expiring = await promo({ percent_off: 10, duration: "once" }, { expires_at: emulator.now() + 86_400 });
    await advanceDays(emulator, 2);
    await expect(open(monthly, { discounts: [{ promotion_code: expiring.id }] })).rejects.toMatchObject({ message: "This promotion code has expired." });
    const minimum = await promo({ percent_off: 10, duration: "once" }, { restrictions: { minimum_amount: 1000, minimum_amount_currency: "eur" } });
    await expect(open(monthly, { discounts: [{ promotion_code: minimum.id }] })).rejects.toMatchObject({ statusCode: 400 });
    expect((await open(yearly, { discounts: [{ promotion_code: minimum.id }] })).amount_total).toBe(8100);
    const coupon = await stripe.coupons.create({ percent_off: 10 });
    await stripe.coupons.del(coupon.id);
    await expect(open(monthly, { discounts: [{ coupon: coupon.id }] })).rejects.toMatchObject({ statusCode: 400 });
  });

  it("bad coupons and duplicate active codes are refused", async () => {
    await expect(stripe.coupons.create({ percent_off: 0 })).rejects.toMatchObject({ param: "percent_off" });
    await expect(stripe.coupons.create({ percent_off: 101 })).rejects.toMatchObject({ param: "percent_off" });
    await expect(stripe.coupons.create({ amount_off: 100 })).rejects.toMatchObject({ param: "currency" });
    await expect(stripe.coupons.create({ percent_off: 5, duration: "repeating" })).rejects.toMatchObject({ param: "duration_in_months" });
    await promo({ percent_off: 5 }, { code: "SPRING" });
    await expect(promo({ percent_off: 5 }, { code: "spring" })).rejects.toMatchObject({ param: "code" });
  });

  it("a code typed on the hosted page (allow_promotion_codes), case-insensitively; a wrong one is explained", async () => {
    await promo({ amount_off: 100, currency: "eur", duration: "forever" }, { code: "READER1" });
    const session = await open(monthly, { allow_promotion_codes: true });
    const form = (code: string) => fetch(session.url ?? "", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ email: "reader@example.com", card_number: CARDS.ok, promotion_code: code }).toString(), redirect: "manual" });
    const wrong = await form("NOPE");
    expect(wrong.status).toBe(402);
    expect(await wrong.text()).toContain("This code is invalid.");
    expect((await form("reader1")).status).toBe(303);
    const done = await stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({ amount_total: 800, total_details: { amount_discount: 100 } });
    expect((await stripe.invoices.list({ subscription: done.subscription as string })).data[0]?.total).toBe(800);
  });
});

describe("running subscriptions", () => {
  // As in Stripe, a repeating discount runs N months from its redemption: added mid-period, a
  // 2-month one covers the invoices made in those 2 months, here only the next one.
  it("a discount added later (a retention offer) applies from the next invoice and ends on the clock", async () => {
    const subscription = await buy(monthly);
    const coupon = await stripe.coupons.create({ percent_off: 50, duration: "repeating", duration_in_months: 2 });
    const updated = await stripe.subscriptions.update(subscription.id, { discounts: [{ coupon: coupon.id }] });
    expect(updated.discounts).toHaveLength(1);
    await advanceDays(emulator, 4 * 31);
    expect((await amounts(subscription.id)).map(([total]) => total)).toEqual([900, 450, 900, 900, 900]);
    const events = await stripe.events.list({ type: "customer.subscription.updated", limit: 100 });
    expect(events.data.some((e) => (e.data.previous_attributes as Partial<Stripe.Subscription>)?.discounts?.length === 1)).toBe(true);
    await expect(stripe.subscriptions.update(subscription.id, { discounts: [{ coupon: "nope" }] })).rejects.toMatchObject({ param: "discounts[0][coupon]" });
  });

  it("customer.subscription.trial_will_end goes out 3 days before the trial ends, once", async () => {
    const subscription = await buy(monthly, { subscription_data: { trial_period_days: 14 } });
    await advanceDays(emulator, 10.9);
    expect((await stripe.events.list({ type: "customer.subscription.trial_will_end" })).data).toHaveLength(0);
    await advanceDays(emulator, 0.2);
    await advanceDays(emulator, 10);
    const sent = await stripe.events.list({ type: "customer.subscription.trial_will_end" });
    expect(sent.data).toHaveLength(1);
    expect(sent.data[0]?.data.object).toMatchObject({ id: subscription.id, status: "trialing" });
    expect(sent.data[0]?.created).toBe((subscription.trial_end ?? 0) - 3 * 86_400);
  });

  it("pause_collection voids the invoices while paused and resumes by itself at resumes_at", async () => {
    const subscription = await buy(monthly);
    const resumesAt = emulator.now() + 70 * 86_400;
    const paused = await stripe.subscriptions.update(subscription.id, { pause_collection: { behavior: "void", resumes_at: resumesAt } });
    expect(paused).toMatchObject({ status: "active", pause_collection: { behavior: "void", resumes_at: resumesAt } });
    await advanceDays(emulator, 100);
    const invoices = (await stripe.invoices.list({ subscription: subscription.id })).data.reverse();
    expect(invoices.map((i) => [i.status, i.amount_paid])).toEqual([["paid", 900], ["void", 0], ["void", 0], ["paid", 900]]);
    const after = await stripe.subscriptions.retrieve(subscription.id);
    expect(after).toMatchObject({ status: "active", pause_collection: null });
    const resumed = (await stripe.events.list({ type: "customer.subscription.updated" })).data.find((e) => (e.data.previous_attributes as Partial<Stripe.Subscription>)?.pause_collection);
    expect(resumed?.created).toBe(resumesAt);
  });

  it("billing_cycle_anchor=now after a voided period: a full new period, billed at once; a declined card with error_if_incomplete changes nothing", async () => {
    const subscription = await buy(monthly);
    await stripe.subscriptions.update(subscription.id, { pause_collection: { behavior: "void" } });
    await advanceDays(emulator, 40);
    const paused = await stripe.subscriptions.retrieve(subscription.id, { expand: ["latest_invoice"] });
    expect((paused.latest_invoice as Stripe.Invoice).status).toBe("void");
    const asked = emulator.now();
    const resumed = await stripe.subscriptions.update(subscription.id, { pause_collection: "", billing_cycle_anchor: { type: "now" }, proration_behavior: "none" });
    // "now" is when the emulator handled the update: on a loaded machine, a second after asking.
    const now = resumed.billing_cycle_anchor;
    expect(now - asked).toBeGreaterThanOrEqual(0);
    expect(now).toBeLessThanOrEqual(emulator.now());
    const item = resumed.items.data[0]!;
    expect(resumed).toMatchObject({ status: "active", pause_collection: null });
    expect([item.current_period_start, item.current_period_end - now > 27 * 86_400]).toEqual([now, true]);
    const latest = await stripe.invoices.retrieve(resumed.latest_invoice as string);
    expect(latest).toMatchObject({ status: "paid", amount_paid: 900, billing_reason: "subscription_update", period_start: now });
    // The next renewal counts from the new anchor.
    await advanceDays(emulator, 32);
    const invoices = (await stripe.invoices.list({ subscription: subscription.id })).data.reverse();
    expect(invoices.map((i) => [i.status, i.amount_paid])).toEqual([["paid", 900], ["void", 0], ["paid", 900], ["paid", 900]]);
    expect(invoices[3]!.period_start).toBe(item.current_period_end);

    // A card that fails after checkout: the update is refused and the subscription stays as it was.
    const session = await open(monthly, {}, "declined@example.com");
    expect((await payCheckout(session.url ?? "", CARDS.failsLater, "declined@example.com")).status).toBe(303);
    const declined = (await stripe.checkout.sessions.retrieve(session.id)).subscription as string;
    await stripe.subscriptions.update(declined, { pause_collection: { behavior: "void" } });
    await advanceDays(emulator, 35);
    const before = await stripe.subscriptions.retrieve(declined);
    await expect(
      stripe.subscriptions.update(declined, { pause_collection: "", billing_cycle_anchor: { type: "now" }, proration_behavior: "none", payment_behavior: "error_if_incomplete" }),
    ).rejects.toMatchObject({ statusCode: 402, code: "card_declined" });
    expect(await stripe.subscriptions.retrieve(declined)).toMatchObject({ status: "active", pause_collection: { behavior: "void" }, billing_cycle_anchor: before.billing_cycle_anchor, latest_invoice: before.latest_invoice });
  });

  it("pause and resume (flexible billing): status paused, no invoices, paused and resumed events", async () => {
    const classic = await buy(monthly);
    await expect(stripe.subscriptions.pause(classic.id)).rejects.toMatchObject({ param: "billing_mode" });
    const subscription = await buy(monthly, { subscription_data: { billing_mode: { type: "flexible" } } }, "flex@example.com");
    const paused = await stripe.subscriptions.pause(subscription.id);
    expect(paused).toMatchObject({ status: "paused", status_details: { paused: { subscription: { type: "pause_requested" }, type: "subscription" } } });
    await advanceDays(emulator, 65);
    expect((await stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(1);
    const resumed = await stripe.subscriptions.resume(subscription.id);
    expect(resumed.status).toBe("active");
    expect(resumed.status_details).toBeUndefined();
    expect((await stripe.invoices.list({ subscription: subscription.id })).data.map((i) => i.amount_paid)).toEqual([900, 900]);
    const types = (await stripe.events.list({ limit: 100 })).data.map((e) => e.type);
    expect(types).toContain("customer.subscription.paused");
    expect(types).toContain("customer.subscription.resumed");
  });
});
