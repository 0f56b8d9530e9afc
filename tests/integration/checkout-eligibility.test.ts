/**
 * Who may have what from a checkout, decided for the account that ends up owning the
 * subscription, signed in or not, against the Stripe emulator, the real webhook route and a real
 * SMTP sink: one trial per account, ever; a new-customers-only offer is not had by checking out
 * signed out; an address with a live subscription is not sold a second one by accident; the
 * reader is told by mail whenever a checkout's terms are cut at settle time.
 */
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invoices, plans, subscriptions, users, type Offer } from "@/db/schema";
import type { OfferInput } from "@/lib/admin/offers/form";
import { waitForMessage } from "@/lib/mail/mailbox";
import { billingAppForSuite } from "./support/billing-app";
import { engines } from "./support/databases";
import { mailSinkForSuite } from "./support/mail-sink";
import { createLiveOffer, offerInput } from "./support/offer-fixtures";

const CARD = "4242424242424242";

describe.each(engines)("checkout eligibility on %s", (engine) => {
  const { mailbox } = mailSinkForSuite("eligibility");
  const admin = { id: "eligibility-admin", email: "admin@ledger.test" };
  const app = billingAppForSuite(engine, { key: "sk_test_eligibility", secret: "whsec_eligibility_0123456789abcdef0123", admin });

  const db = () => app.db();
  const plan = async (name: "Monthly" | "Yearly") => (await (await db()).select().from(plans).where(eq(plans.name, name)))[0]!;
  const subsOf = async (userId: string) => (await db()).select().from(subscriptions).where(eq(subscriptions.userId, userId)).orderBy(asc(subscriptions.stripeCreated), asc(subscriptions.stripeSubscriptionId));
  const paidAmounts = async (subscriptionId: string) =>
    (await (await db()).select().from(invoices).where(eq(invoices.stripeSubscriptionId, subscriptionId)).orderBy(asc(invoices.stripeCreated), asc(invoices.periodEnd))).map((i) => i.amountPaid);

  async function reader(email: string) {
    const [user] = await (await db()).insert(users).values({ email, emailVerified: new Date() }).returning();
    return { id: user!.id, email };
  }

  /** Starts our Checkout (signed in as `user`, or anonymous), pays it with `typed`, waits for the webhooks. */
  async function checkout(input: { user: { id: string; email: string } | null; planName: "Monthly" | "Yearly"; typed: string; offer?: Offer }) {
    const { startCheckout } = await import("@/lib/billing/checkout");
    const { offerForCheckout } = await import("@/lib/offers/public-offer");
    const planId = (await plan(input.planName)).id;
    let offer;
    if (input.offer) {
      const check = await offerForCheckout(await db(), input.offer.code, planId, input.user?.id ?? null);
      if (!check.ok) throw new Error(check.reason);
      offer = check.offer;
    }
    const start = await startCheckout(await db(), { user: input.user, planId, returnPath: "/articles/x", offer });
    if (start.kind !== "checkout") throw new Error("expected a checkout");
    const paid = await app.pay(start.url, CARD, input.typed);
    expect(paid.status).toBe(303);
    await app.settle();
    const sessionId = new URL(paid.headers.get("location")!).searchParams.get("session_id")!;
    const subscriptionId = (await app.api.checkout.sessions.retrieve(sessionId)).subscription as string;
    return { sessionId, nonce: start.nonce, subscriptionId, row: async () => (await (await db()).select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, subscriptionId)))[0]! };
  }

  async function cancelAll(userId: string) {
    for (const sub of await subsOf(userId)) if (sub.status !== "canceled") await app.api.subscriptions.cancel(sub.stripeSubscriptionId);
    await app.settle();
  }

  const makeOffer = async (terms: Partial<OfferInput> & Pick<OfferInput, "code" | "kind">) =>
    createLiveOffer(await db(), admin, offerInput({ duration: "forever", planIds: [(await plan("Monthly")).id], newCustomersOnly: true, ...terms }));

  it("one trial per account: a signed-in reader's second Yearly checkout has no trial and bills the year at once", async () => {
    const me = await reader("trial-once@ledger.test");
    const { plansWithTrialUsed } = await import("@/lib/billing/eligibility");
    const both = [(await plan("Monthly")).id, (await plan("Yearly")).id];
    // The cards promise the trial until the account has had one, then on no plan.
    expect(await plansWithTrialUsed(await db(), me.id, both)).toEqual([]);
    const first = await checkout({ user: me, planName: "Yearly", typed: me.email });
    expect(await first.row()).toMatchObject({ status: "trialing" });
    expect(await plansWithTrialUsed(await db(), me.id, both)).toEqual(both);
    await cancelAll(me.id);
    const second = await (await checkout({ user: me, planName: "Yearly", typed: me.email })).row();
    expect(second).toMatchObject({ status: "active", trialEnd: null });
    expect(await paidAmounts(second.stripeSubscriptionId)).toEqual([8000]);
    // A trial offer says so before Checkout, too.
    const trialOffer = await makeOffer({ code: "TRY-AGAIN", kind: "trial", trialDays: 30, newCustomersOnly: false });
    const { offerForCheckout } = await import("@/lib/offers/public-offer");
    await cancelAll(me.id);
    expect(await offerForCheckout(await db(), trialOffer.code, (await plan("Monthly")).id, me.id)).toEqual({ ok: false, reason: "trial_used" });
  });

  it("one trial per account, signed out too: the trial ends when the checkout settles, the year is billed, and the reader is told", async () => {
    const me = await reader("trial-anon@ledger.test");
    await checkout({ user: me, planName: "Yearly", typed: me.email });
    await cancelAll(me.id);
    const asked = new Date(Date.now() - 1000);
    const second = await (await checkout({ user: null, planName: "Yearly", typed: "Trial-Anon@Ledger.TEST" })).row();
    expect(second).toMatchObject({ status: "active", userId: me.id });
    expect(await paidAmounts(second.stripeSubscriptionId)).toEqual([0, 8000]);
    expect((await app.api.subscriptions.retrieve(second.stripeSubscriptionId)).status).toBe("active");
    const mail = await waitForMessage(mailbox, { to: me.email, after: asked, subject: /A change to your new/, timeoutMs: 10_000 });
    expect(mail.text).toMatch(/free trial is given once per account/);
  });

  it("a plan may allow one trial per plan: a trial on Monthly does not use up Yearly's, but Yearly's own is had once", async () => {
    const { updatePlan } = await import("@/lib/admin/plans/commands");
    const yearly = await plan("Yearly");
    const setPerPlan = async (on: boolean) =>
      expect(
        await updatePlan(await db(), admin, {
          id: yearly.id,
          name: yearly.name,
          description: yearly.description,
          features: yearly.features,
          trialDays: yearly.trialDays,
          trialPerPlan: on,
          amount: "80.00",
          interval: "year",
        }),
      ).toMatchObject({ ok: true });
    await setPerPlan(true);
    const monthlyTrial = await makeOffer({ code: "MONTH-TRY", kind: "trial", trialDays: 14, newCustomersOnly: false });
    const me = await reader("per-plan@ledger.test");
    const { plansWithTrialUsed } = await import("@/lib/billing/eligibility");
    const monthly = (await plan("Monthly")).id;
    const trials: boolean[] = [];
    const usedAfter: number[][] = [];
    for (const [planName, offer] of [["Monthly", monthlyTrial], ["Yearly", undefined], ["Yearly", undefined]] as const) {
      trials.push((await (await checkout({ user: me, planName, typed: me.email, offer })).row()).trialEnd !== null);
      usedAfter.push(await plansWithTrialUsed(await db(), me.id, [monthly, yearly.id]));
      await cancelAll(me.id);
    }
    expect(trials).toEqual([true, true, false]);
    // The cards say the same: Monthly's trial leaves Yearly's on offer, until Yearly's own is had.
    expect(usedAfter).toEqual([[monthly], [monthly, yearly.id], [monthly, yearly.id]]);
    await setPerPlan(false);
  });

  it("new customers only, signed out: a former subscriber's discount is removed when the checkout settles, and the reader is told", async () => {
    const offer = await makeOffer({ code: "HALF-NEW", kind: "percent", percentOff: 50 });
    const me = await reader("returning@ledger.test");
    await checkout({ user: me, planName: "Monthly", typed: me.email });
    await cancelAll(me.id);
    const asked = new Date(Date.now() - 1000);
    const taken = await (await checkout({ user: null, planName: "Monthly", typed: "RETURNING@ledger.test", offer })).row();
    expect(taken).toMatchObject({ userId: me.id, offerId: offer.id, discountDuration: null, discountPercentBp: null });
    expect((await app.api.subscriptions.retrieve(taken.stripeSubscriptionId)).discounts).toEqual([]);
    const mail = await waitForMessage(mailbox, { to: me.email, after: asked, subject: /A change to your new/, timeoutMs: 10_000 });
    expect(mail.text).toMatch(/for new subscribers only/);
    expect(mail.text).toMatch(/The \$4\.00 the offer took off your first payment is added to your next one/);
    // The next month is billed at the full price, with what the first payment was spared: the offer gave nothing.
    await app.emulator.advanceClock(32 * 86_400);
    await app.settle();
    expect(await paidAmounts(taken.stripeSubscriptionId)).toEqual([400, 1200]);
    await app.emulator.advanceClock(31 * 86_400);
    await app.settle();
    expect((await paidAmounts(taken.stripeSubscriptionId)).at(-1)).toBe(800);
    // A new reader keeps the offer: the check is about the account, not about checking out signed out.
    const fresh = await (await checkout({ user: null, planName: "Monthly", typed: "brand-new@ledger.test", offer })).row();
    expect(fresh).toMatchObject({ discountPercentBp: 5000, discountDuration: "forever" });
    await cancelAll(fresh.userId!);
  });

  it("an offer is taken once per account: signed in it is refused before Checkout; signed out its discount is removed at settle and what it took is billed next", async () => {
    const offer = await makeOffer({ code: "HALF-ONCE", kind: "percent", percentOff: 50, newCustomersOnly: false });
    const me = await reader("offer-once@ledger.test");
    expect((await (await checkout({ user: me, planName: "Monthly", typed: me.email, offer })).row()).discountPercentBp).toBe(5000);
    await cancelAll(me.id);
    const { offerForCheckout } = await import("@/lib/offers/public-offer");
    expect(await offerForCheckout(await db(), "half-once", (await plan("Monthly")).id, me.id)).toEqual({ ok: false, reason: "already_taken" });
    const asked = new Date(Date.now() - 1000);
    const again = await (await checkout({ user: null, planName: "Monthly", typed: "Offer-Once@ledger.test", offer })).row();
    expect(again).toMatchObject({ userId: me.id, offerId: offer.id, discountDuration: null, discountPercentBp: null });
    const mail = await waitForMessage(mailbox, { to: me.email, after: asked, subject: /A change to your new/, timeoutMs: 10_000 });
    expect(mail.text).toMatch(/given once per account/);
    await app.emulator.advanceClock(32 * 86_400);
    await app.settle();
    expect(await paidAmounts(again.stripeSubscriptionId)).toEqual([400, 1200]);
    await cancelAll(me.id);
  });

  it("two tabs with one new-customer offer: the second subscription does not renew and does not keep the discount either", async () => {
    const offer = await makeOffer({ code: "TWIN-HALF", kind: "percent", percentOff: 50 });
    const me = await reader("two-tabs@ledger.test");
    const { startCheckout } = await import("@/lib/billing/checkout");
    const { offerForCheckout } = await import("@/lib/offers/public-offer");
    const planId = (await plan("Monthly")).id;
    const check = await offerForCheckout(await db(), offer.code, planId, me.id);
    if (!check.ok) throw new Error(check.reason);
    const database = await db();
    const starts = await Promise.all([1, 2].map(() => startCheckout(database, { user: me, planId, returnPath: "/", offer: check.offer })));
    for (const start of starts) {
      if (start.kind !== "checkout") throw new Error("expected a checkout");
      expect((await app.pay(start.url, CARD, me.email)).status).toBe(303);
    }
    await app.settle();
    const [, second] = await subsOf(me.id);
    const ending = (await subsOf(me.id)).find((s) => s.cancelAtPeriodEnd)!;
    expect(second).toBeDefined();
    expect(ending).toMatchObject({ discountDuration: null, discountPercentBp: null });
    expect((await app.api.subscriptions.retrieve(ending.stripeSubscriptionId)).discounts).toEqual([]);
    await cancelAll(me.id);
  });

  it("a second subscription for an address with a live one does not renew; the return page and a mail say so", async () => {
    const { completeCheckoutReturn } = await import("@/lib/billing/checkout-return");
    const first = await checkout({ user: null, planName: "Monthly", typed: "twice-over@ledger.test" });
    const [me] = await (await db()).select().from(users).where(eq(users.email, "twice-over@ledger.test"));
    const asked = new Date(Date.now() - 1000);
    const second = await checkout({ user: null, planName: "Monthly", typed: "Twice-Over@ledger.test" });
    const back = await completeCheckoutReturn(await db(), { sessionId: second.sessionId, nonce: second.nonce, currentUserId: null });
    expect(back).toMatchObject({ kind: "link-sent", alreadySubscribed: true });
    const kept = await first.row();
    const extra = await second.row();
    expect(kept).toMatchObject({ status: "active", cancelAtPeriodEnd: false });
    expect(extra).toMatchObject({ userId: me!.id, status: "active", cancelAtPeriodEnd: true });
    expect((await app.api.subscriptions.retrieve(extra!.stripeSubscriptionId)).cancel_at_period_end).toBe(true);
    const mail = await waitForMessage(mailbox, { to: me!.email!, subject: /A change to your new/, after: asked, timeoutMs: 10_000 });
    expect(mail.text).toMatch(/already had a .* subscription, so the new one will not renew/);
    // "Resume" on the second does not make it renew beside the first.
    const { resumeSubscription } = await import("@/lib/retention/cancel-flow");
    expect(await resumeSubscription(await db(), me!.id, extra!.stripeSubscriptionId)).toBe("already_subscribed");
    expect((await app.api.subscriptions.retrieve(extra!.stripeSubscriptionId)).cancel_at_period_end).toBe(true);
    // A third, with a free trial, is canceled before it charges anything.
    const third = await checkout({ user: null, planName: "Yearly", typed: "twice-over@ledger.test" });
    const trial = await third.row();
    expect(trial).toMatchObject({ userId: me!.id, status: "canceled" });
    expect(await paidAmounts(trial.stripeSubscriptionId)).toEqual([0]);
    // After a month exactly one subscription renews.
    await app.emulator.advanceClock(32 * 86_400);
    await app.settle();
    expect([(await first.row()).status, (await second.row()).status, (await third.row()).status]).toEqual(["active", "canceled", "canceled"]);
  });

  // The second line: a switch made outside our portal sessions (Stripe's dashboard, a portal on Stripe's default configuration).
  // Stripe bills the interval change at once, with the discount still on; the renewals after it are in full.
  it("a Monthly-only discount does not follow a switch to Yearly made outside our portal: it is removed, the reader is told, the next year bills in full", async () => {
    const offer = await makeOffer({ code: "MONTHLY-HALF", kind: "percent", percentOff: 50, newCustomersOnly: false });
    const bought = await checkout({ user: null, planName: "Monthly", typed: "switcher@ledger.test", offer });
    const [me] = await (await db()).select().from(users).where(eq(users.email, "switcher@ledger.test"));
    const sub = await bought.row();
    expect(sub).toMatchObject({ discountPercentBp: 5000, discountDuration: "forever" });
    const asked = new Date(Date.now() - 1000);
    const portal = await app.api.billingPortal.sessions.create({ customer: sub!.stripeCustomerId, return_url: "http://ledger.test/account" });
    const switched = await fetch(portal.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ action: "switch", subscription: sub!.stripeSubscriptionId, price: (await plan("Yearly")).stripePriceId! }),
      redirect: "manual",
    });
    expect(switched.status).toBe(303);
    await app.settle();
    const after = await bought.row();
    expect(after).toMatchObject({ planId: (await plan("Yearly")).id, discountDuration: null, discountPercentBp: null });
    expect((await app.api.subscriptions.retrieve(sub!.stripeSubscriptionId)).discounts).toEqual([]);
    const mail = await waitForMessage(mailbox, { to: me!.email!, subject: /discount has ended/, after: asked, timeoutMs: 10_000 });
    expect(mail.text).toMatch(/applies to Monthly only/);
    expect(await paidAmounts(sub!.stripeSubscriptionId)).toEqual([400, 4000]);
    await app.emulator.advanceClock(367 * 86_400);
    await app.settle();
    expect(await paidAmounts(sub!.stripeSubscriptionId)).toEqual([400, 4000, 8000]);
    await cancelAll(me!.id);
  });

  it("a signed-in reader whose subscription has a failed payment goes to the billing portal, not to a second Checkout", async () => {
    const me = await reader("past-due@ledger.test");
    const { startCheckout } = await import("@/lib/billing/checkout");
    const start = await startCheckout(await db(), { user: me, planId: (await plan("Monthly")).id, returnPath: "/" });
    if (start.kind !== "checkout") throw new Error("expected a checkout");
    expect((await app.pay(start.url, "4000000000000341", me.email)).status).toBe(303);
    await app.settle();
    await app.emulator.advanceClock(31 * 86_400);
    await app.settle();
    await app.emulator.advanceClock(4 * 86_400);
    await app.settle();
    expect((await subsOf(me.id))[0]!.status).toBe("past_due");
    const { loadEntitlement } = await import("@/lib/access/user-entitlement");
    expect(await loadEntitlement(await db(), me.id)).toBeNull();
    const again = await startCheckout(await db(), { user: me, planId: (await plan("Monthly")).id, returnPath: "/" });
    expect(again.kind).toBe("portal");
  });
});
