/**
 * The money audit against the Stripe emulator and a real database: a clean site passes, and each
 * way of giving money or reading away, planted as state in the emulator and our rows (a voided
 * period left readable, a paid period paused away, a save offer taken twice, a new-customer
 * offer on a returning account, a second trial, a plan-restricted discount on another plan, two
 * live subscriptions, an offer over its maximum, a payment no account owns), fails it naming
 * the subscription and the rule.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grants, offers, plans, stripeCustomers, subscriptions, users } from "@/db/schema";
import type { MoneyRule } from "@/lib/money-audit/report-schema";
import { startBillingApp, type BillingApp } from "./support/billing-app";
import { engines } from "./support/databases";

const SECRET = "whsec_money_audit_0123456789abcdef0123456789";
const KEY = "sk_test_money_audit";
const DAY = 86_400;

describe.each(engines)("money audit on %s", (engine) => {
  let app: BillingApp;
  const admin = { id: "money-admin", email: "admin@money.test" };

  // While set, Stripe's webhooks are answered without reaching the app: a flaw's state is planted
  // in Stripe, and our rows are then written as the flawed code wrote them (recordAsIs), so no
  // fix in the webhook path can repair what the test plants.
  let deaf = false;

  beforeAll(async () => {
    app = await startBillingApp(engine, { key: KEY, secret: SECRET, intercept: () => (deaf ? 200 : null), admin });
  });
  afterAll(() => app.close());

  const db = () => app.db();
  const plan = async (name: string) => (await (await db()).select().from(plans).where(eq(plans.name, name)))[0]!;
  const audit = async () => (await import("@/lib/money-audit/run-audit")).runMoneyAudit(await db());
  const rulesFor = async (subscriptionId: string) => (await audit()).findings.filter((f) => f.subscription === subscriptionId).map((f) => f.rule);
  const advance = async (days: number) => {
    await app.emulator.advanceClock(days * DAY);
    await app.settle();
  };

  /**
   * A checkout as our Checkout makes it (plan and offer in the metadata), paid on the hosted page
   * with `email`, settled by the webhooks. Made with the SDK, so it plants what a flaw would make.
   */
  async function checkout(email: string, planName: string, extra: { coupon?: string; trialDays?: number; offerId?: number; card?: string } = {}) {
    const p = await plan(planName);
    const session = await app.api.checkout.sessions.create({
      mode: "subscription",
      line_items: [{ price: p.stripePriceId!, quantity: 1 }],
      customer_email: email,
      metadata: { masthead_plan_id: String(p.id) },
      subscription_data: {
        metadata: { masthead_plan_id: String(p.id), ...(extra.offerId ? { masthead_offer_id: String(extra.offerId) } : {}) },
        ...(extra.trialDays ? { trial_period_days: extra.trialDays } : {}),
      },
      ...(extra.coupon ? { discounts: [{ coupon: extra.coupon }] } : {}),
      success_url: "http://ledger.test/subscribe/return?session_id={CHECKOUT_SESSION_ID}",
      cancel_url: "http://ledger.test/",
    });
    expect((await app.pay(session.url!, extra.card ?? "4242424242424242", email)).status).toBe(303);
    await app.settle();
    const done = await app.api.checkout.sessions.retrieve(session.id);
    return done.subscription as string;
  }

  async function offer(code: string, terms: { percentOff: number; duration: "once" | "repeating" | "forever"; durationMonths?: number; planNames: string[]; newCustomersOnly?: boolean; maxRedemptions?: number }) {
    const { createOffer } = await import("@/lib/admin/offers/commands");
    const { tryPushOfferToStripe } = await import("@/lib/offers/push-offer");
    const planIds = await Promise.all(terms.planNames.map(async (n) => (await plan(n)).id));
    const made = await createOffer(await db(), admin, {
      name: code, code, kind: "percent", percentOff: terms.percentOff, amountText: null, trialDays: null,
      duration: terms.duration, durationMonths: terms.durationMonths ?? null, planIds, newCustomersOnly: terms.newCustomersOnly ?? false,
      startsAt: null, endsAt: null, maxRedemptions: terms.maxRedemptions ?? null, replaces: null,
    });
    if (!made.ok) throw new Error(made.message);
    expect(await tryPushOfferToStripe(await db(), made.offerId)).toEqual({ ok: true });
    return (await (await db()).select().from(offers).where(eq(offers.id, made.offerId)))[0]!;
  }

  /** Runs `plant` with the app deaf to Stripe's webhooks. */
  async function unheard<T>(plant: () => Promise<T>): Promise<T> {
    deaf = true;
    try {
      const result = await plant();
      await app.settle();
      return result;
    } finally {
      deaf = false;
    }
  }

  /** Our row of a subscription copied from Stripe as it is, owned by the account of `email`, with no check applied. */
  async function recordAsIs(subscriptionId: string, email: string) {
    const { accountForEmail, linkCustomer } = await import("@/lib/billing/customers");
    const { pullSubscriptionFromStripe } = await import("@/lib/billing/pull-subscription");
    const sub = await app.api.subscriptions.retrieve(subscriptionId);
    const { userId } = await accountForEmail(await db(), email);
    await linkCustomer(await db(), sub.customer as string, userId);
    await (await db()).transaction((tx) => pullSubscriptionFromStripe(tx, subscriptionId, app.emulator.now()));
  }

  const expectFails = async (subscriptionId: string, rule: MoneyRule) => {
    const report = await audit();
    expect(report.ok).toBe(false);
    expect(report.findings.filter((f) => f.subscription === subscriptionId).map((f) => f.rule)).toContain(rule);
    const finding = report.findings.find((f) => f.subscription === subscriptionId && f.rule === rule)!;
    expect(new Date(finding.to).getTime()).toBeGreaterThanOrEqual(new Date(finding.from).getTime());
    return finding;
  };

  // Each planted case leaves its subscription failing; the next case checks its own subscription.
  it("passes a clean site: paid months, a renewal, an entitled trial, an offer on its plan, a failed card in grace, a grant; MRR is Stripe's", async () => {
    const half = await offer("CLEAN-HALF", { percentOff: 50, duration: "repeating", durationMonths: 2, planNames: ["Monthly"], newCustomersOnly: true });
    await checkout("monthly@money.test", "Monthly");
    await checkout("yearly@money.test", "Yearly", { trialDays: (await plan("Yearly")).trialDays });
    await checkout("halfoff@money.test", "Monthly", { coupon: half.stripeCouponId!, offerId: half.id });
    await checkout("failing@money.test", "Monthly", { card: "4000000000000341" });
    const [granted] = await (await db()).insert(users).values({ email: "granted@money.test" }).returning();
    await (await db()).insert(grants).values({ userId: granted!.id, reason: "press", createdBy: admin.id });
    await advance(31);
    const report = await audit();
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.counts.paidInvoices).toBeGreaterThanOrEqual(6);
    // Monthly, half-off monthly (at list price) and the card failing in grace, plus the yearly now its trial is over.
    expect(report.mrr).toEqual([{ currency: "usd", amount: Math.round((800 * 12 * 3 + (await plan("Yearly")).amount) / 12) }]);
    const { loadDashboard } = await import("@/lib/admin/dashboard/queries");
    expect((await loadDashboard(await db(), 30, 3)).mrr).toEqual(report.mrr);
  });

  it("recipe 1: a voided period left readable after a resume fails day-unbacked", async () => {
    const id = await checkout("pause-void@money.test", "Monthly");
    await unheard(async () => {
      const renews = (await app.api.subscriptions.retrieve(id)).items.data[0]!.current_period_end;
      await app.api.subscriptions.update(id, { pause_collection: { behavior: "void", resumes_at: renews + 30 * DAY } });
      await app.emulator.advanceClock(31 * DAY);
      await app.api.subscriptions.update(id, { pause_collection: "" });
    });
    // What a resume that ignores the voided invoice leaves: active, in the voided period, not paused.
    const now = await app.api.subscriptions.retrieve(id);
    await (await db())
      .update(subscriptions)
      .set({
        status: "active",
        collectionPaused: false,
        pausedUntil: null,
        currentPeriodStart: new Date(now.items.data[0]!.current_period_start * 1000),
        currentPeriodEnd: new Date(now.items.data[0]!.current_period_end * 1000),
        clockOffsetSeconds: Math.round(app.emulator.now() - Date.now() / 1000),
      })
      .where(eq(subscriptions.stripeSubscriptionId, id));
    const finding = await expectFails(id, "day-unbacked");
    expect(finding.detail).toMatch(/void/);
  });

  it("recipe 8: a pause that hides the month just paid for fails paid-day-unreadable", async () => {
    const id = await checkout("pause-now@money.test", "Monthly");
    await advance(1);
    await unheard(async () => {
      const renews = (await app.api.subscriptions.retrieve(id)).items.data[0]!.current_period_end;
      await app.api.subscriptions.update(id, { pause_collection: { behavior: "void", resumes_at: renews } });
    });
    // Our row as a pause that starts at once would leave it: no access from today.
    await (await db()).update(subscriptions).set({ status: "paused" }).where(eq(subscriptions.stripeSubscriptionId, id));
    await expectFails(id, "paid-day-unreadable");
  });

  it("recipe 2: a save offer taken twice (each discount used) fails save-offer-repeated", async () => {
    const stay = await offer("STAY-ONCE", { percentOff: 50, duration: "once", planNames: ["Monthly", "Yearly"] });
    const id = await checkout("replayer@money.test", "Monthly");
    await app.api.subscriptions.update(id, { discounts: [{ coupon: stay.stripeCouponId! }] });
    await advance(31);
    await app.api.subscriptions.update(id, { discounts: [{ coupon: stay.stripeCouponId! }] });
    await advance(31);
    expect((await app.api.invoices.list({ subscription: id })).data.map((i) => i.amount_paid)).toEqual([400, 400, 800]);
    await expectFails(id, "save-offer-repeated");
  });

  it("recipe 3: a new-customers-only offer on an account that subscribed before fails new-customers-only", async () => {
    const welcome = await offer("WELCOME-NEW", { percentOff: 50, duration: "forever", planNames: ["Monthly"], newCustomersOnly: true });
    const first = await checkout("Returning@Money.test", "Monthly");
    await app.api.subscriptions.update(first, { cancel_at_period_end: true });
    await advance(32);
    // Planted as the flawed code left it: no check when the checkout settled.
    const again = await unheard(() => checkout("returning@money.test", "Monthly", { coupon: welcome.stripeCouponId!, offerId: welcome.id }));
    await recordAsIs(again, "returning@money.test");
    await expectFails(again, "new-customers-only");
    expect(await rulesFor(first)).toEqual([]);
  });

  it("a new-customer discount taken back when the checkout settles is no redemption while what it took is billed back; stranded unbilled, it fails new-customers-only", async () => {
    const back = await offer("WELCOME-BACK", { percentOff: 50, duration: "forever", planNames: ["Monthly"], newCustomersOnly: true });
    const comeback = async (email: string) => {
      const first = await checkout(email, "Monthly");
      await app.api.subscriptions.update(first, { cancel_at_period_end: true });
      await advance(32);
      // Our Checkout, signed out: the account is known only when it settles.
      const { startCheckout } = await import("@/lib/billing/checkout");
      const start = await startCheckout(await db(), { user: null, planId: (await plan("Monthly")).id, returnPath: "/", offer: { id: back.id, couponId: back.stripeCouponId, trialDays: null } });
      if (start.kind !== "checkout") throw new Error("expected a checkout");
      const paid = await app.pay(start.url, "4242424242424242", email.toUpperCase());
      await app.settle();
      const session = new URL(paid.headers.get("location")!).searchParams.get("session_id")!;
      const again = (await app.api.checkout.sessions.retrieve(session)).subscription as string;
      expect((await app.api.subscriptions.retrieve(again)).discounts).toEqual([]);
      return again;
    };
    const paidAmounts = async (id: string) => (await app.api.invoices.list({ subscription: id, limit: 10 })).data.map((i) => i.amount_paid).reverse();
    // The $4.00 waits for the next invoice; cancelled at period end, Stripe charges it then.
    const whole = await comeback("comeback@money.test");
    expect(await rulesFor(whole)).toEqual([]);
    await app.api.subscriptions.update(whole, { cancel_at_period_end: true });
    await advance(32);
    expect(await paidAmounts(whole)).toEqual([400, 400]);
    expect((await app.api.subscriptions.retrieve(whole)).status).toBe("canceled");
    expect(await rulesFor(whole)).toEqual([]);
    // Canceled at once, the item is never billed: the discount was had.
    const stranded = await comeback("stranded@money.test");
    await app.api.subscriptions.cancel(stranded);
    await app.settle();
    await expectFails(stranded, "new-customers-only");
  });

  it("recipe 4: a second trial for one account fails trial-repeated", async () => {
    const yearly = await plan("Yearly");
    const first = await checkout("trialist@money.test", "Yearly", { trialDays: yearly.trialDays });
    await app.api.subscriptions.cancel(first);
    await app.settle();
    const second = await unheard(() => checkout("trialist@money.test", "Yearly", { trialDays: yearly.trialDays }));
    await recordAsIs(second, "trialist@money.test");
    await expectFails(second, "trial-repeated");
  });

  it("a second trial canceled within the hour it began gave no days: no trial-repeated", async () => {
    const yearly = await plan("Yearly");
    const first = await checkout("tabbed@money.test", "Yearly", { trialDays: yearly.trialDays });
    const second = await unheard(() => checkout("tabbed@money.test", "Yearly", { trialDays: yearly.trialDays }));
    await app.api.subscriptions.cancel(second);
    await recordAsIs(second, "tabbed@money.test");
    expect(await rulesFor(second)).toEqual([]);
    expect(await rulesFor(first)).toEqual([]);
  });

  it("recipe 5: a Monthly-only discount that follows a switch to Yearly fails offer-plan", async () => {
    const monthlyOnly = await offer("MONTHLY-HALF", { percentOff: 50, duration: "forever", planNames: ["Monthly"] });
    const id = await checkout("switcher@money.test", "Monthly", { coupon: monthlyOnly.stripeCouponId!, offerId: monthlyOnly.id });
    const sub = await app.api.subscriptions.retrieve(id);
    const yearlyPrice = (await plan("Yearly")).stripePriceId!;
    await unheard(async () => {
      await app.api.subscriptions.update(id, { items: [{ id: sub.items.data[0]!.id, price: yearlyPrice }] });
      await app.emulator.advanceClock(31 * DAY);
    });
    await recordAsIs(id, "switcher@money.test");
    const paid = (await app.api.invoices.list({ subscription: id, limit: 1 })).data[0]!;
    expect(paid.amount_paid).toBe(4_000);
    await expectFails(id, "offer-plan");
  });

  it("recipe 9: two renewing subscriptions for one account fail second-subscription; the second ending with its paid period does not", async () => {
    await checkout("twice@money.test", "Monthly");
    const second = await unheard(() => checkout("TWICE@money.test", "Yearly"));
    await recordAsIs(second, "twice@money.test");
    await expectFails(second, "second-subscription");
    await app.api.subscriptions.update(second, { cancel_at_period_end: true });
    await app.settle();
    expect(await rulesFor(second)).toEqual([]);
  });

  it("an offer redeemed over its maximum fails max-redemptions; a payment no account owns fails payment-uncredited", async () => {
    const few = await offer("FEW", { percentOff: 10, duration: "forever", planNames: ["Monthly"] });
    await checkout("few-1@money.test", "Monthly", { coupon: few.stripeCouponId!, offerId: few.id });
    const over = await checkout("few-2@money.test", "Monthly", { coupon: few.stripeCouponId!, offerId: few.id });
    await (await db()).update(offers).set({ maxRedemptions: 1 }).where(eq(offers.id, few.id));
    await expectFails(over, "max-redemptions");

    const orphan = await checkout("orphan@money.test", "Monthly");
    const [row] = await (await db()).select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, orphan));
    await (await db()).delete(stripeCustomers).where(eq(stripeCustomers.stripeCustomerId, row!.stripeCustomerId));
    await (await db()).update(subscriptions).set({ userId: null }).where(eq(subscriptions.stripeSubscriptionId, orphan));
    await expectFails(orphan, "payment-uncredited");
  });

  it("writes the JSON and HTML reports naming each finding's rule, subscription and days", async () => {
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const { writeMoneyReport, readLastMoneyReport } = await import("@/lib/money-audit/report-files");
    const report = await audit();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "money-audit-"));
    const files = writeMoneyReport(report, dir);
    expect(readLastMoneyReport(dir)).toEqual(report);
    const html = fs.readFileSync(files.html, "utf8");
    for (const f of report.findings) expect(html).toContain(f.subscription);
    expect(html).toContain("Money audit: ");
    fs.rmSync(dir, { recursive: true });
  });
});
