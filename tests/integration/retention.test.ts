/**
 * Cancelling on our own site against the Stripe emulator and a real database: the retention
 * offer is shown once per subscription and never to trials; cancel keeps access to the period
 * end and records the reason; a pause removes access and comes back by itself on the clock;
 * a retention discount lowers the next invoice; nobody acts on another reader's subscription.
 */
import { eq } from "drizzle-orm";
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
    app = await startBillingApp(engine, { key: KEY, secret: SECRET });
    await (await app.db()).insert(users).values({ id: admin.id, email: admin.email, role: "admin" });
  });
  afterAll(() => app.close());

  const db = () => app.db();

  async function subscriber(email: string, planName = "Monthly") {
    const { startCheckout } = await import("@/lib/billing/checkout");
    const [plan] = await (await db()).select().from(plans).where(eq(plans.name, planName));
    const start = await startCheckout(await db(), { user: null, planId: plan!.id, returnPath: "/" });
    if (start.kind !== "checkout") throw new Error("expected a checkout");
    expect((await app.pay(start.url, "4242424242424242", email)).status).toBe(303);
    await app.settle();
    const [user] = await (await db()).select().from(users).where(eq(users.email, email));
    const [sub] = await (await db()).select().from(subscriptions).where(eq(subscriptions.userId, user!.id));
    return { userId: user!.id, id: sub!.stripeSubscriptionId };
  }

  const row = async (id: string) => (await (await db()).select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, id)))[0]!;
  const entitled = async (userId: string) => (await (await import("@/lib/access/user-entitlement")).loadEntitlement(await db(), userId)) !== null;

  it("a pause retention offer: shown once; accepting it pauses access until the emulator clock passes it, then access returns by itself", async () => {
    const { saveRetention } = await import("@/lib/admin/offers/commands");
    expect(await saveRetention(await db(), admin, { kind: "pause", offerId: null, pauseMonths: 2 })).toEqual({ ok: true });
    const { cancelScreen, acceptRetention } = await import("@/lib/retention/cancel-flow");
    const reader = await subscriber("pauser@ledger.test");
    expect((await cancelScreen(await db(), reader.userId, reader.id)).retention).toEqual({ kind: "pause", months: 2 });
    // A second look (another tab, a reload) gets the plain cancel screen.
    expect((await cancelScreen(await db(), reader.userId, reader.id)).retention).toBeNull();
    expect(await acceptRetention(await db(), reader.userId, reader.id)).toBe(true);
    expect(await row(reader.id)).toMatchObject({ status: "active", collectionPaused: true });
    expect(await entitled(reader.userId)).toBe(false);
    await app.emulator.advanceClock(40 * 86_400);
    await app.settle();
    expect(await entitled(reader.userId)).toBe(false);
    await app.emulator.advanceClock(25 * 86_400);
    await app.settle();
    expect(await row(reader.id)).toMatchObject({ status: "active", collectionPaused: false, pausedUntil: null });
    expect(await entitled(reader.userId)).toBe(true);
    const invoices = (await app.api.invoices.list({ subscription: reader.id })).data.map((i) => i.status);
    expect(invoices).toContain("void");
  });

  it("cancel anyway: keeps access until the period ends, records the reason; never offered to trials; Resume undoes it", async () => {
    const { cancelScreen, cancelAtPeriodEnd, resumeSubscription, acceptRetention } = await import("@/lib/retention/cancel-flow");
    const reader = await subscriber("leaver@ledger.test");
    expect((await cancelScreen(await db(), reader.userId, reader.id)).retention).not.toBeNull();
    await cancelAtPeriodEnd(await db(), reader.userId, reader.id, "too_expensive");
    expect(await row(reader.id)).toMatchObject({ cancelAtPeriodEnd: true, cancelReason: "too_expensive" });
    expect(await acceptRetention(await db(), reader.userId, reader.id)).toBe(false);
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
    const { pushOfferToStripe } = await import("@/lib/offers/sync-offer");
    const [monthly] = await (await db()).select().from(plans).where(eq(plans.name, "Monthly"));
    const made = await createOffer(await db(), admin, {
      name: "Stay: half off for 2 months", code: "STAY-HALF", kind: "percent", percentOff: 50, amountText: null, trialDays: null,
      duration: "repeating", durationMonths: 2, planIds: [monthly!.id], newCustomersOnly: false, startsAt: null, endsAt: null, maxRedemptions: null, replaces: null,
    });
    if (!made.ok) throw new Error(made.message);
    await pushOfferToStripe(await db(), made.offerId);
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
    expect(await acceptRetention(await db(), reader.userId, reader.id, tenDaysOn)).toBe(true);
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
