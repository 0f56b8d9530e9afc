/** Clock-driven billing: renewals, failed payments and dunning, trials, cancel at period end, persistence. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Stripe from "stripe";
import { beforeAll, describe, expect, it } from "vitest";
import { CARDS, advanceDays, catalog, control, emulatorForFile, startEmulator, subscribe } from "./helpers";

const { emulator, stripe } = emulatorForFile();
let prices: Awaited<ReturnType<typeof catalog>>;

beforeAll(async () => {
  prices = await catalog(stripe, "Lifecycle");
});

function periodOf(subscription: Stripe.Subscription) {
  const item = subscription.items.data[0];
  if (!item) throw new Error("no item");
  return { start: item.current_period_start, end: item.current_period_end };
}

async function eventsFor(subscriptionId: string, type: string): Promise<Stripe.Event[]> {
  const all = await stripe.events.list({ type, limit: 100 });
  return all.data.filter((event) => {
    const object = event.data.object as { id: string; parent?: Stripe.Invoice["parent"] };
    return object.id === subscriptionId || object.parent?.subscription_details?.subscription === subscriptionId;
  });
}

describe("the emulator clock", () => {
  it("starts at real time and only moves forward", async () => {
    const { json } = await control(emulator, "GET", "clock");
    expect(Math.abs(Number(json.now) - Date.now() / 1000)).toBeLessThan(5 + Number(json.offset_seconds));
    const backwards = await control(emulator, "POST", "clock", { to: Number(json.now) - 100 });
    expect(backwards.status).toBe(400);
    const neither = await control(emulator, "POST", "clock", {});
    expect(neither.status).toBe(400);
  });
});

describe("renewals", () => {
  it("bills a new invoice each period with a good card", async () => {
    const { subscription } = await subscribe(stripe, prices.monthly, { card: CARDS.ok, email: "renew@example.com" });
    const first = periodOf(subscription);
    const now = emulator.now();
    await advanceDays(emulator, (first.end - now) / 86_400 + 0.01);
    const renewed = await stripe.subscriptions.retrieve(subscription.id);
    expect(renewed.status).toBe("active");
    const second = periodOf(renewed);
    expect(second.start).toBe(first.end);
    expect(second.end - second.start).toBeGreaterThanOrEqual(28 * 86_400);
    const invoices = await stripe.invoices.list({ subscription: subscription.id });
    expect(invoices.data).toHaveLength(2);
    const latest = invoices.data[0] as Stripe.Invoice;
    expect(renewed.latest_invoice).toBe(latest.id);
    expect(latest).toMatchObject({ status: "paid", billing_reason: "subscription_cycle", amount_paid: 900, created: first.end });
    expect(latest.lines.data[0]?.period).toEqual({ start: second.start, end: second.end });
    const updates = await eventsFor(subscription.id, "customer.subscription.updated");
    const previous = updates[0]?.data.previous_attributes as Partial<Stripe.Subscription>;
    expect(previous.items?.data[0]?.current_period_end).toBe(first.end);
    expect(previous.latest_invoice).toBe(subscription.latest_invoice);
    expect(await eventsFor(subscription.id, "invoice.paid")).toHaveLength(2);

    await advanceDays(emulator, 62);
    expect((await stripe.invoices.list({ subscription: subscription.id })).data.length).toBeGreaterThanOrEqual(4);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe("active");
  });

  it("fails with card 0341: past_due, retries, then canceled", async () => {
    const { subscription } = await subscribe(stripe, prices.monthly, { card: CARDS.failsLater, email: "fails@example.com" });
    expect(subscription.status).toBe("active");
    const firstInvoice = await stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(firstInvoice.status).toBe("paid");

    const { end } = periodOf(subscription);
    await advanceDays(emulator, (end - emulator.now()) / 86_400 + 0.01);
    const pastDue = await stripe.subscriptions.retrieve(subscription.id, { expand: ["latest_invoice"] });
    expect(pastDue.status).toBe("past_due");
    const open = pastDue.latest_invoice as Stripe.Invoice;
    expect(open).toMatchObject({ status: "open", attempt_count: 1, attempted: true, amount_paid: 0, amount_remaining: 900 });
    expect(open.next_payment_attempt).toBe(end + 3 * 86_400);
    const failed = await eventsFor(subscription.id, "invoice.payment_failed");
    expect(failed).toHaveLength(1);
    const statusChange = (await eventsFor(subscription.id, "customer.subscription.updated"))[0];
    expect(statusChange?.data.previous_attributes).toMatchObject({ status: "active" });

    await advanceDays(emulator, 3);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe("past_due");
    expect((await stripe.invoices.retrieve(open.id)).attempt_count).toBe(2);
    await advanceDays(emulator, 6);
    const canceled = await stripe.subscriptions.retrieve(subscription.id);
    expect(canceled.status).toBe("canceled");
    expect(canceled.cancellation_details?.reason).toBe("payment_failed");
    expect(canceled.ended_at).toBe(end + 9 * 86_400);
    expect((await stripe.invoices.retrieve(open.id))).toMatchObject({ attempt_count: 4, status: "open", next_payment_attempt: null });
    expect(await eventsFor(subscription.id, "invoice.payment_failed")).toHaveLength(4);
    expect(await eventsFor(subscription.id, "customer.subscription.deleted")).toHaveLength(1);

    await advanceDays(emulator, 40);
    expect((await stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(2);
  });

  it("ends at period end when cancel_at_period_end is set, without a new invoice", async () => {
    const { subscription } = await subscribe(stripe, prices.monthly, { email: "leaving@example.com" });
    const { end } = periodOf(subscription);
    await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    await advanceDays(emulator, (end - emulator.now()) / 86_400 - 1);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe("active");
    await advanceDays(emulator, 2);
    const ended = await stripe.subscriptions.retrieve(subscription.id);
    expect(ended).toMatchObject({ status: "canceled", ended_at: end, cancel_at_period_end: true });
    expect(ended.cancellation_details?.reason).toBe("cancellation_requested");
    expect((await stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(1);
    const deleted = await eventsFor(subscription.id, "customer.subscription.deleted");
    expect((deleted[0]?.data.object as Stripe.Subscription).status).toBe("canceled");
  });
});

describe("trials", () => {
  it("starts trialing with a zero invoice and becomes active with a paid one", async () => {
    const { subscription, session } = await subscribe(stripe, prices.monthly, { trialDays: 7, email: "trial@example.com" });
    expect(session.payment_status).toBe("no_payment_required");
    expect(subscription.status).toBe("trialing");
    expect(subscription.trial_end).toBe((subscription.trial_start ?? 0) + 7 * 86_400);
    expect(periodOf(subscription).end).toBe(subscription.trial_end);
    const first = await stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(first).toMatchObject({ status: "paid", amount_due: 0, total: 0 });

    await advanceDays(emulator, 7.01);
    const active = await stripe.subscriptions.retrieve(subscription.id, { expand: ["latest_invoice"] });
    expect(active.status).toBe("active");
    expect(periodOf(active).start).toBe(subscription.trial_end);
    expect(active.latest_invoice).toMatchObject({ status: "paid", amount_paid: 900 });
  });

  it("trial_end=now ends the trial at once: a new anchor, the first period billed and paid; a past time or an active subscription is refused", async () => {
    const { subscription } = await subscribe(stripe, prices.monthly, { trialDays: 7, email: "trial-now@example.com" });
    await advanceDays(emulator, 2);
    const before = emulator.now();
    const ended = await stripe.subscriptions.update(subscription.id, { trial_end: "now", expand: ["latest_invoice"] });
    // The clock runs with wall time: "now" is a second between the two readings.
    expect(ended.trial_end).toBeGreaterThanOrEqual(before);
    expect(ended.trial_end).toBeLessThanOrEqual(emulator.now());
    expect(ended).toMatchObject({ status: "active", billing_cycle_anchor: ended.trial_end });
    expect(periodOf(ended).start).toBe(ended.trial_end);
    expect(ended.latest_invoice).toMatchObject({ status: "paid", amount_paid: 900, billing_reason: "subscription_update" });
    await expect(stripe.subscriptions.update(subscription.id, { trial_end: "now" })).rejects.toMatchObject({ statusCode: 400, param: "trial_end" });
    const { subscription: other } = await subscribe(stripe, prices.monthly, { trialDays: 7, email: "trial-move@example.com" });
    await expect(stripe.subscriptions.update(other.id, { trial_end: emulator.now() - 10 })).rejects.toMatchObject({ statusCode: 400, param: "trial_end" });
    const target = emulator.now() + 86_400;
    const moved = await stripe.subscriptions.update(other.id, { trial_end: target });
    expect(moved).toMatchObject({ status: "trialing", trial_end: target });
    expect(periodOf(moved).end).toBe(moved.trial_end);
  });

  it("goes past_due at trial end with card 0341", async () => {
    const { subscription } = await subscribe(stripe, prices.monthly, { trialDays: 3, card: CARDS.failsLater, email: "trial-fail@example.com" });
    expect(subscription.status).toBe("trialing");
    await advanceDays(emulator, 3.01);
    const pastDue = await stripe.subscriptions.retrieve(subscription.id, { expand: ["latest_invoice"] });
    expect(pastDue.status).toBe("past_due");
    expect(pastDue.latest_invoice).toMatchObject({ status: "open", attempt_count: 1 });
  });
});

describe("price switches", () => {
  async function invoicesOf(subscriptionId: string) {
    return (await stripe.invoices.list({ subscription: subscriptionId, limit: 100 })).data.reverse();
  }

  it("a switch to another interval (Monthly → Yearly) resets the billing cycle anchor and invoices the new period at once, in full", async () => {
    const { subscription } = await subscribe(stripe, prices.monthly, { email: "to-yearly@example.com" });
    await advanceDays(emulator, 10);
    const item = subscription.items.data[0]!;
    const before = emulator.now();
    const switched = await stripe.subscriptions.update(subscription.id, { items: [{ id: item.id, price: prices.yearly.id }], proration_behavior: "none", expand: ["latest_invoice"] });
    expect(switched.billing_cycle_anchor).toBeGreaterThanOrEqual(before);
    expect(switched.billing_cycle_anchor).toBeLessThanOrEqual(emulator.now());
    expect(periodOf(switched).start).toBe(switched.billing_cycle_anchor);
    expect(periodOf(switched).end - periodOf(switched).start).toBeGreaterThanOrEqual(365 * 86_400);
    expect(switched).toMatchObject({ status: "active", items: { data: [{ price: { id: prices.yearly.id } }] } });
    expect(switched.latest_invoice).toMatchObject({ status: "paid", amount_paid: 9000, billing_reason: "subscription_update" });
    // One customer.subscription.updated for the whole update, as Stripe sends it.
    const [event, ...more] = (await eventsFor(subscription.id, "customer.subscription.updated")).filter((e) => e.created >= before);
    expect(more).toEqual([]);
    const previous = event?.data.previous_attributes as Partial<Stripe.Subscription>;
    expect(previous.items?.data[0]?.price.id).toBe(prices.monthly.id);
    expect(previous.billing_cycle_anchor).toBe(subscription.billing_cycle_anchor);
    const invoice = switched.latest_invoice as Stripe.Invoice;
    expect(invoice.lines.data[0]?.period).toEqual(periodOf(switched));
    // The next invoice comes a year on, not at the old monthly renewal.
    await advanceDays(emulator, 30);
    expect((await invoicesOf(subscription.id)).map((i) => i.amount_paid)).toEqual([900, 9000]);
  });

  it("a switch within the same interval waits for the renewal; a trialing subscription keeps its trial", async () => {
    const monthlyPlus = await stripe.prices.create({ product: prices.product.id, currency: "eur", unit_amount: 1200, nickname: "Monthly plus", recurring: { interval: "month" } });
    const { subscription } = await subscribe(stripe, prices.monthly, { email: "same-interval@example.com" });
    const item = subscription.items.data[0]!;
    const switched = await stripe.subscriptions.update(subscription.id, { items: [{ id: item.id, price: monthlyPlus.id }] });
    expect(periodOf(switched)).toEqual(periodOf(subscription));
    expect(switched.billing_cycle_anchor).toBe(subscription.billing_cycle_anchor);
    expect((await invoicesOf(subscription.id)).map((i) => i.amount_paid)).toEqual([900]);
    await advanceDays(emulator, 32);
    expect((await invoicesOf(subscription.id)).map((i) => i.amount_paid)).toEqual([900, 1200]);

    const { subscription: trial } = await subscribe(stripe, prices.monthly, { trialDays: 7, email: "trial-switch@example.com" });
    const moved = await stripe.subscriptions.update(trial.id, { items: [{ id: trial.items.data[0]!.id, price: prices.yearly.id }] });
    expect(moved).toMatchObject({ status: "trialing", trial_end: trial.trial_end });
    expect(periodOf(moved)).toEqual(periodOf(trial));
    expect((await invoicesOf(trial.id)).map((i) => i.amount_paid)).toEqual([0]);
  });
});

describe("dunning settings", () => {
  it("can end in unpaid instead of canceled", async () => {
    const other = await startEmulator({ dunning: { retryDays: 2, retries: 1, finalAction: "unpaid" } });
    try {
      const { monthly } = await catalog(other.stripe, "Unpaid");
      const { subscription } = await subscribe(other.stripe, monthly, { card: CARDS.failsLater });
      const { end } = periodOf(subscription);
      await advanceDays(other.emulator, (end - other.emulator.now()) / 86_400 + 0.01);
      expect((await other.stripe.subscriptions.retrieve(subscription.id)).status).toBe("past_due");
      await advanceDays(other.emulator, 2);
      expect((await other.stripe.subscriptions.retrieve(subscription.id)).status).toBe("unpaid");
    } finally {
      await other.emulator.close();
    }
  });
});

describe("checkout sessions and the clock", () => {
  it("expires open sessions after 24 hours", async () => {
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      line_items: [{ price: prices.monthly.id }],
      success_url: "http://app.test/ok",
    });
    await advanceDays(emulator, 1.01);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("expired");
    const expiredEvents = await stripe.events.list({ type: "checkout.session.expired", limit: 100 });
    expect(expiredEvents.data.some((e) => (e.data.object as Stripe.Checkout.Session).id === session.id)).toBe(true);
  });
});

describe("reset and persistence", () => {
  it("keeps state in a JSON file across restarts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stripe-emulator-"));
    const stateFile = join(dir, "state.json");
    try {
      const first = await startEmulator({ stateFile });
      const { monthly } = await catalog(first.stripe, "Persisted");
      const { subscription } = await subscribe(first.stripe, monthly);
      await advanceDays(first.emulator, 2);
      const clockBefore = first.emulator.now();
      await first.emulator.close();

      const second = await startEmulator({ stateFile });
      try {
        const again = await second.stripe.subscriptions.retrieve(subscription.id);
        expect(again.status).toBe("active");
        expect(again.items.data[0]?.price.id).toBe(monthly.id);
        expect(Math.abs(second.emulator.now() - clockBefore)).toBeLessThan(5);
        expect((await second.stripe.customers.list()).data).toHaveLength(1);
      } finally {
        await second.emulator.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reset forgets everything and rewinds the clock", async () => {
    const other = await startEmulator();
    try {
      await other.stripe.customers.create({ email: "gone@example.com" });
      await advanceDays(other.emulator, 10);
      const { status, json } = await control(other.emulator, "POST", "reset");
      expect(status).toBe(200);
      expect(json.offset_seconds).toBe(0);
      expect((await other.stripe.customers.list()).data).toHaveLength(0);
      expect((await other.stripe.events.list()).data).toHaveLength(0);
    } finally {
      await other.emulator.close();
    }
  });
});
