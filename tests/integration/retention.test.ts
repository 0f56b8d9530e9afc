/**
 * Cancelling on our own site against the Stripe emulator and a real database: the save offer
 * is claimed only when accepted, once per subscription (and account), never by looking, and
 * never offered to trials; cancel keeps access to the period end and records the reason; a
 * pause starts when the paid period ends, its voided months are never read, and however it is
 * lifted a new paid period starts first; a retention discount lowers the next invoice; nobody
 * acts on another reader's subscription.
 */
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plans, subscriptions, users } from "@/db/schema";
import { startBillingApp, type BillingApp } from "./support/billing-app";
import { engines } from "./support/databases";

const SECRET = "whsec_retention_0123456789abcdef0123456789ab";
const KEY = "sk_test_retention";

describe.each(engines)("retention on %s", (engine) => {
  let app: BillingApp;
  const admin = { id: "retention-admin", email: "admin@ledger.test" };

  beforeAll(async () => {
    app = await startBillingApp(engine, { key: KEY, secret: SECRET, admin });
  });
  afterAll(() => app.close());

  const db = () => app.db();

  async function subscriber(email: string, planName = "Monthly", card = "4242424242424242") {
    const { startCheckout } = await import("@/lib/billing/checkout");
    const [plan] = await (await db()).select().from(plans).where(eq(plans.name, planName));
    const start = await startCheckout(await db(), { user: null, planId: plan!.id, returnPath: "/" });
    if (start.kind !== "checkout") throw new Error("expected a checkout");
    expect((await app.pay(start.url, card, email)).status).toBe(303);
    await app.settle();
    const [user] = await (await db()).select().from(users).where(eq(users.email, email));
    const [sub] = await (await db()).select().from(subscriptions).where(eq(subscriptions.userId, user!.id));
    return { userId: user!.id, id: sub!.stripeSubscriptionId };
  }

  const row = async (id: string) => (await (await db()).select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, id)))[0]!;
  const entitled = async (userId: string) => (await (await import("@/lib/access/user-entitlement")).loadEntitlement(await db(), userId)) !== null;

  const DAY = 86_400;
  const advance = async (days: number) => {
    await app.emulator.advanceClock(days * DAY);
    await app.settle();
  };
  /** Moves the emulator's clock to a day after a date on it (so month lengths never matter). */
  const advancePast = async (stripeDate: Date, days = 1) => {
    await app.emulator.advanceClock(Math.ceil(stripeDate.getTime() / 1000 - app.emulator.now()) + days * DAY);
    await app.settle();
  };
  const invoiceLog = async (id: string) =>
    (await app.api.invoices.list({ subscription: id, limit: 100 })).data.reverse().map((i) => `${i.status} ${i.amount_paid || i.amount_due}`);
  async function offerPause(months: number) {
    const { saveRetention } = await import("@/lib/admin/offers/commands");
    expect(await saveRetention(await db(), admin, { kind: "pause", offerId: null, pauseMonths: months })).toEqual({ ok: true });
  }
  /** The paywall card of a subscribers-only article, and "Why am I seeing this?", as this reader gets them. */
  async function readerSees(userId: string) {
    const { sessions } = await import("@/db/schema");
    const { importPlainTextArticle } = await import("@/lib/content/import-article");
    const { articleResponse } = await import("@/lib/reading/article-response");
    const { whyForReader } = await import("@/lib/trace/reader-why");
    const { fixtureText, SESSION_COOKIE } = await import("./support/admin-harness");
    const token = `${userId}-session`.replace(/[^a-z0-9-]/gi, "");
    await (await db()).insert(sessions).values({ sessionToken: token, userId, expires: new Date(Date.now() + 3_600_000) });
    const { slug } = await importPlainTextArticle(await db(), fixtureText, { slug: `locked-${token.slice(0, 12)}`, access: "subscribers" });
    const request = new NextRequest(new URL(`/articles/${slug}`, "http://ledger.test"), { headers: { cookie: `${SESSION_COOKIE}=${token}` } });
    const body = await (await articleResponse(request, slug, "read")).text();
    expect(body).toContain('data-access="preview"');
    const start = body.indexOf('<aside class="paywall"');
    const card = body.slice(start, body.indexOf("</aside>", start));
    const why = await whyForReader({ get: (name: string) => (name === SESSION_COOKIE ? { value: token } : undefined) }, slug);
    return { card, why };
  }
  /** A period that starts now on the emulator's clock (which ticks with the wall clock). */
  const expectStripeNow = (date: Date | null) => expect(Math.abs(date!.getTime() / 1000 - app.emulator.now())).toBeLessThan(10);
  /** A yearly subscriber past the 7-day trial, on a paid year. */
  async function yearlySubscriber(email: string) {
    const reader = await subscriber(email, "Yearly");
    await advance(8);
    expect((await row(reader.id)).status).toBe("active");
    return reader;
  }

  it("a pause starts when the paid period ends and lasts the months offered; the voided months are never read; it resumes by itself with a paid period", async () => {
    await offerPause(2);
    const { cancelScreen, acceptRetention } = await import("@/lib/retention/cancel-flow");
    const reader = await subscriber("pauser@ledger.test");
    await advance(1);
    const paidEnd = (await row(reader.id)).currentPeriodEnd!;
    expect((await cancelScreen(await db(), reader.userId, reader.id)).retention).toMatchObject({ kind: "pause", months: 2 });
    expect(await acceptRetention(await db(), reader.userId, reader.id)).toBe("kept");
    // The webhooks of the day moved and of the pause are in: the row's clock offset is the one the account page reads.
    await app.settle();
    const paused = await row(reader.id);
    expect(paused).toMatchObject({ status: "active", collectionPaused: true, paidThrough: null });
    const { addMonths } = await import("@/lib/retention/retention-terms");
    const { billingDay } = await import("@/lib/billing/billing-day");
    expect(paused.pausedUntil).toEqual(addMonths(paidEnd, 2));
    // The month paid for still reads in full, and the account says when the pause starts.
    expect(await entitled(reader.userId)).toBe(true);
    const { accountBilling } = await import("@/lib/billing/account-billing");
    const shown = (await accountBilling(await db(), reader.userId)).subscriptions[0]!;
    expect(shown).toMatchObject({ paused: true, renewsAt: null, cancellable: false, resumable: true });
    expect(shown.pauseStarts?.getTime()).toBe(paidEnd.getTime() - paused.clockOffsetSeconds * 1000);
    // The renewal inside the pause is voided: no access for it.
    await advancePast(paidEnd);
    expect(await invoiceLog(reader.id)).toEqual(["paid 800", "void 800"]);
    expect((await row(reader.id)).paidThrough).not.toBeNull();
    expect(await entitled(reader.userId)).toBe(false);
    // The paywall and /why say paused until when, with Resume now, and sell nothing.
    const { card, why } = await readerSees(reader.userId);
    const until = billingDay(paused.pausedUntil!, (await row(reader.id)).clockOffsetSeconds);
    expect(card).toContain(`Your subscription is paused until ${until}.`);
    expect(card).not.toContain("/subscribe/checkout");
    expect(why?.explanation.details.join(" ")).toMatch(/^Paused until /);
    expect(why?.explanation.actions).toEqual([{ href: "/account", label: "Resume now" }]);
    await advancePast(addMonths(paidEnd, 1));
    expect(await entitled(reader.userId)).toBe(false);
    // Two months after the paid month: billed again, and readable again.
    await advancePast(paused.pausedUntil!);
    expect(await row(reader.id)).toMatchObject({ status: "active", collectionPaused: false, pausedUntil: null, paidThrough: null });
    expect(await invoiceLog(reader.id)).toEqual(["paid 800", "void 800", "void 800", "paid 800"]);
    expect(await entitled(reader.userId)).toBe(true);
  });

  it("Resume now on a voided year starts a new paid year at once; a declined card leaves it paused", async () => {
    await offerPause(1);
    const { acceptRetention, resumeSubscription } = await import("@/lib/retention/cancel-flow");
    const reader = await yearlySubscriber("yearly-pauser@ledger.test");
    expect(await acceptRetention(await db(), reader.userId, reader.id)).toBe("kept");
    await advancePast((await row(reader.id)).currentPeriodEnd!, 3);
    expect(await invoiceLog(reader.id)).toEqual(["paid 0", "paid 8000", "void 8000"]);
    expect(await entitled(reader.userId)).toBe(false);
    expect(await resumeSubscription(await db(), reader.userId, reader.id)).toBe("resumed");
    await app.settle();
    expect(await invoiceLog(reader.id)).toEqual(["paid 0", "paid 8000", "void 8000", "paid 8000"]);
    const resumed = await row(reader.id);
    expect(resumed).toMatchObject({ status: "active", collectionPaused: false, paidThrough: null });
    expectStripeNow(resumed.currentPeriodStart);
    expect(await entitled(reader.userId)).toBe(true);

    const declined = await subscriber("declined-pauser@ledger.test", "Monthly", "4000000000000341");
    expect(await acceptRetention(await db(), declined.userId, declined.id)).toBe("kept");
    await advancePast((await row(declined.id)).currentPeriodEnd!);
    expect(await resumeSubscription(await db(), declined.userId, declined.id)).toBe("declined");
    await app.settle();
    expect(await row(declined.id)).toMatchObject({ collectionPaused: true });
    expect(await entitled(declined.userId)).toBe(false);
  });

  it("a pause lifted by itself, or by an admin in Stripe, in the middle of a voided period bills a new period before anything is read", async () => {
    await offerPause(1);
    const { acceptRetention } = await import("@/lib/retention/cancel-flow");
    const automatic = await yearlySubscriber("auto-resume@ledger.test");
    const byAdmin = await subscriber("admin-resume@ledger.test");
    expect(await acceptRetention(await db(), automatic.userId, automatic.id)).toBe("kept");
    expect(await acceptRetention(await db(), byAdmin.userId, byAdmin.id)).toBe("kept");
    await advancePast((await row(byAdmin.id)).currentPeriodEnd!, 2);
    expect(await invoiceLog(byAdmin.id)).toEqual(["paid 800", "void 800"]);
    await app.api.subscriptions.update(byAdmin.id, { pause_collection: "" });
    await app.settle();
    expect(await invoiceLog(byAdmin.id)).toEqual(["paid 800", "void 800", "paid 800"]);
    expectStripeNow((await row(byAdmin.id)).currentPeriodStart);
    expect(await entitled(byAdmin.userId)).toBe(true);

    await advancePast((await row(automatic.id)).currentPeriodEnd!);
    expect(await invoiceLog(automatic.id)).toEqual(["paid 0", "paid 8000", "void 8000"]);
    expect(await entitled(automatic.userId)).toBe(false);
    await advancePast((await row(automatic.id)).pausedUntil!);
    expect(await invoiceLog(automatic.id)).toEqual(["paid 0", "paid 8000", "void 8000", "paid 8000"]);
    const resumed = await row(automatic.id);
    expect(resumed).toMatchObject({ status: "active", collectionPaused: false, paidThrough: null });
    expectStripeNow(resumed.currentPeriodStart);
    expect(await entitled(automatic.userId)).toBe(true);
  });

  it("showing the cancel screen claims nothing; the save offer is accepted once: a second tab or a replay gets already_used and reaches Stripe not at all", async () => {
    const { createOffer, saveRetention } = await import("@/lib/admin/offers/commands");
    const { tryPushOfferToStripe } = await import("@/lib/offers/push-offer");
    const [monthly] = await (await db()).select().from(plans).where(eq(plans.name, "Monthly"));
    const made = await createOffer(await db(), admin, {
      name: "Stay: half off once", code: "STAY-ONCE", kind: "percent", percentOff: 50, amountText: null, trialDays: null,
      duration: "once", durationMonths: null, planIds: [monthly!.id], newCustomersOnly: false, startsAt: null, endsAt: null, maxRedemptions: null, replaces: null,
    });
    if (!made.ok) throw new Error(made.message);
    await tryPushOfferToStripe(await db(), made.offerId);
    expect(await saveRetention(await db(), admin, { kind: "discount", offerId: made.offerId, pauseMonths: null })).toEqual({ ok: true });
    const { cancelScreen, acceptRetention } = await import("@/lib/retention/cancel-flow");
    const { offers, retentionAcceptances } = await import("@/db/schema");
    const [offer] = await (await db()).select().from(offers).where(eq(offers.id, made.offerId));
    const redemptions = async () => (await app.api.coupons.retrieve(offer!.stripeCouponId!)).times_redeemed;
    const reader = await subscriber("two-tabs@ledger.test");
    // A discount for Monthly is not offered to a Yearly subscriber: Stripe would bill it on a plan it does not name.
    const yearly = await subscriber("yearly-stays@ledger.test", "Yearly");
    expect((await cancelScreen(await db(), yearly.userId, yearly.id)).retention).toBeNull();
    expect(await acceptRetention(await db(), yearly.userId, yearly.id)).not.toBe("kept");
    // Looking (a link from another site, a reload) spends nothing.
    for (let look = 0; look < 3; look++) expect((await cancelScreen(await db(), reader.userId, reader.id)).retention).toMatchObject({ kind: "discount" });
    expect(await (await db()).select().from(retentionAcceptances).where(eq(retentionAcceptances.userId, reader.userId))).toEqual([]);
    // Two tabs at once: one wins.
    const outcomes = await Promise.all([acceptRetention(await db(), reader.userId, reader.id), acceptRetention(await db(), reader.userId, reader.id)]);
    expect(outcomes.sort()).toEqual(["already_used", "kept"]);
    expect(await redemptions()).toBe(1);
    // The replayed POST: refused before Stripe, so the coupon is not redeemed again.
    expect(await acceptRetention(await db(), reader.userId, reader.id)).toBe("already_used");
    expect(await redemptions()).toBe(1);
    expect((await app.api.subscriptions.retrieve(reader.id)).discounts).toHaveLength(1);
    expect((await cancelScreen(await db(), reader.userId, reader.id)).retention).toBeNull();
    // Once per account in 12 months: another subscription of the same account is refused until then.
    const { claimRetention } = await import("@/lib/retention/retention-claims");
    const now = new Date();
    expect(await claimRetention(await db(), reader.userId, "sub_another_of_the_same_reader", "pause", now)).toBe(false);
    expect(await claimRetention(await db(), reader.userId, "sub_another_of_the_same_reader", "pause", new Date(now.getTime() + 366 * DAY * 1000))).toBe(true);
    expect(await claimRetention(await db(), reader.userId, reader.id, "pause", new Date(now.getTime() + 800 * DAY * 1000))).toBe(false);
  });

  it("cancel anyway: keeps access until the period ends, records the reason; never offered to trials; Resume undoes it", async () => {
    const { cancelScreen, cancelAtPeriodEnd, resumeSubscription, acceptRetention } = await import("@/lib/retention/cancel-flow");
    const reader = await subscriber("leaver@ledger.test");
    expect((await cancelScreen(await db(), reader.userId, reader.id)).retention).not.toBeNull();
    await cancelAtPeriodEnd(await db(), reader.userId, reader.id, "too_expensive");
    expect(await row(reader.id)).toMatchObject({ cancelAtPeriodEnd: true, cancelReason: "too_expensive" });
    expect(await acceptRetention(await db(), reader.userId, reader.id)).toBe("unchanged");
    expect(await entitled(reader.userId)).toBe(true);
    await resumeSubscription(await db(), reader.userId, reader.id);
    expect(await row(reader.id)).toMatchObject({ cancelAtPeriodEnd: false });
    await cancelAtPeriodEnd(await db(), reader.userId, reader.id, null);
    await app.emulator.advanceClock(32 * 86_400);
    await app.settle();
    expect(await row(reader.id)).toMatchObject({ status: "canceled" });
    expect(await entitled(reader.userId)).toBe(false);

    const trial = await subscriber("trialist@ledger.test", "Yearly");
    expect((await row(trial.id)).status).toBe("trialing");
    expect((await cancelScreen(await db(), trial.userId, trial.id)).retention).toBeNull();
  });

  it("a discount retention offer lowers the next invoice; another reader's subscription is out of reach", async () => {
    const { createOffer } = await import("@/lib/admin/offers/commands");
    const { tryPushOfferToStripe } = await import("@/lib/offers/push-offer");
    const [monthly] = await (await db()).select().from(plans).where(eq(plans.name, "Monthly"));
    const made = await createOffer(await db(), admin, {
      name: "Stay: half off for 2 months", code: "STAY-HALF", kind: "percent", percentOff: 50, amountText: null, trialDays: null,
      duration: "repeating", durationMonths: 2, planIds: [monthly!.id], newCustomersOnly: false, startsAt: null, endsAt: null, maxRedemptions: null, replaces: null,
    });
    if (!made.ok) throw new Error(made.message);
    await tryPushOfferToStripe(await db(), made.offerId);
    const { saveRetention } = await import("@/lib/admin/offers/commands");
    expect(await saveRetention(await db(), admin, { kind: "discount", offerId: made.offerId, pauseMonths: null })).toEqual({ ok: true });
    const { cancelScreen, acceptRetention, cancelAtPeriodEnd, NotYourSubscriptionError } = await import("@/lib/retention/cancel-flow");
    const reader = await subscriber("stayer@ledger.test");
    const other = await subscriber("other@ledger.test");
    await expect(cancelScreen(await db(), other.userId, reader.id)).rejects.toBeInstanceOf(NotYourSubscriptionError);
    await expect(cancelAtPeriodEnd(await db(), other.userId, reader.id, null)).rejects.toBeInstanceOf(NotYourSubscriptionError);
    expect((await row(reader.id)).cancelAtPeriodEnd).toBe(false);
    // Ten days into the period, Stripe's two months from acceptance cover the next two renewals:
    // the screen promises exactly those, and that is what Stripe bills.
    await app.emulator.advanceClock(10 * 86_400);
    await app.settle();
    const tenDaysOn = new Date(Date.now() + 10 * 86_400_000);
    const screen = (await cancelScreen(await db(), reader.userId, reader.id, tenDaysOn)).retention;
    expect(screen?.kind === "discount" && screen.words).toMatch(/^\$4\.00 instead of \$8\.00 on your next 2 renewals \(\w+ \d+, \d{4} and \w+ \d+, \d{4}\), then \$8\.00\/month\.$/);
    expect(await acceptRetention(await db(), reader.userId, reader.id, tenDaysOn)).toBe("kept");
    expect(await row(reader.id)).toMatchObject({ discountPercentBp: 5000, discountDuration: "repeating" });
    const paidNext = async () => {
      await app.emulator.advanceClock(31 * 86_400);
      await app.settle();
      return (await app.api.invoices.list({ subscription: reader.id, limit: 1 })).data[0]?.amount_paid;
    };
    expect(await paidNext()).toBe(400);
    expect(await paidNext()).toBe(400);
    expect(await paidNext()).toBe(800);
  });
});
