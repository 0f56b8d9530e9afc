/**
 * A plan-restricted discount never reaches a plan outside its list through the billing portal:
 * while it runs, the reader's portal session offers only the offer's prices (Stripe would bill a
 * Monthly → Yearly switch at once, with the discount, before our webhook could remove it). Against
 * the Stripe emulator (its portal page and configurations) and the real webhook route.
 */
import { asc, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invoices, plans, subscriptions, users, type Offer } from "@/db/schema";
import type { OfferInput } from "@/lib/admin/offers/form";
import { startBillingApp, type BillingApp } from "./support/billing-app";
import { engines } from "./support/databases";

const CARD = "4242424242424242";

describe.each(engines)("portal plans on %s", (engine) => {
  let app: BillingApp;
  const admin = { id: "portal-plans-admin", email: "admin@portal-plans.test" };

  beforeAll(async () => {
    app = await startBillingApp(engine, { key: "sk_test_portal_plans", secret: "whsec_portal_plans_0123456789abcdef01", admin });
  });
  afterAll(async () => {
    await app.close();
  });

  const db = () => app.db();
  const plan = async (name: "Monthly" | "Yearly") => (await (await db()).select().from(plans).where(eq(plans.name, name)))[0]!;
  const paidAmounts = async (subscriptionId: string) =>
    (await (await db()).select().from(invoices).where(eq(invoices.stripeSubscriptionId, subscriptionId)).orderBy(asc(invoices.stripeCreated), asc(invoices.periodEnd))).map((i) => i.amountPaid);

  async function makeOffer(terms: Partial<OfferInput> & Pick<OfferInput, "code" | "kind">): Promise<Offer> {
    const { createOffer } = await import("@/lib/admin/offers/commands");
    const { tryPushOfferToStripe } = await import("@/lib/offers/push-offer");
    const { offers } = await import("@/db/schema");
    const made = await createOffer(await db(), admin, {
      name: terms.code, percentOff: null, amountText: null, trialDays: null, duration: "forever", durationMonths: null,
      planIds: [(await plan("Monthly")).id], newCustomersOnly: false, startsAt: null, endsAt: null, maxRedemptions: null, replaces: null,
      ...terms,
    });
    if (!made.ok) throw new Error(made.message);
    expect(await tryPushOfferToStripe(await db(), made.offerId)).toEqual({ ok: true });
    return (await (await db()).select().from(offers).where(eq(offers.id, made.offerId)))[0]!;
  }

  /** A signed-in reader's checkout of Monthly (with `offer`), paid; returns the reader and the subscription. */
  async function subscriber(email: string, offer?: Offer) {
    const { startCheckout } = await import("@/lib/billing/checkout");
    const { offerForCheckout } = await import("@/lib/offers/public-offer");
    const [user] = await (await db()).insert(users).values({ email, emailVerified: new Date() }).returning();
    const me = { id: user!.id, email };
    const planId = (await plan("Monthly")).id;
    let checked;
    if (offer) {
      const check = await offerForCheckout(await db(), offer.code, planId, me.id);
      if (!check.ok) throw new Error(check.reason);
      checked = check.offer;
    }
    const start = await startCheckout(await db(), { user: me, planId, returnPath: "/", offer: checked });
    if (start.kind !== "checkout") throw new Error("expected a checkout");
    expect((await app.pay(start.url, CARD, email)).status).toBe(303);
    await app.settle();
    const [sub] = await (await db()).select().from(subscriptions).where(eq(subscriptions.userId, me.id));
    return { me, sub: sub! };
  }

  async function portalFor(userId: string) {
    const { createPortalUrl } = await import("@/lib/billing/portal");
    const url = await createPortalUrl(await db(), userId, "http://portal-plans.test/account/billing-return");
    return { url, html: await (await fetch(url)).text() };
  }

  const switchTo = (portalUrl: string, subscriptionId: string, price: string) =>
    fetch(portalUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ action: "switch", subscription: subscriptionId, price }),
      redirect: "manual",
    });

  const ourConfigurations = async () =>
    (await app.api.billingPortal.configurations.list({ limit: 100 })).data.filter((c: Stripe.BillingPortal.Configuration) => c.metadata?.masthead_portal === "offer_plans");

  it("a Monthly-only 50 % forever subscriber's portal offers no Yearly, refuses a posted one, and reuses one configuration", async () => {
    const offer = await makeOffer({ code: "PORTAL-HALF", kind: "percent", percentOff: 50 });
    const { me, sub } = await subscriber("half-forever@portal-plans.test", offer);
    expect(sub).toMatchObject({ discountPercentBp: 5000, discountDuration: "forever" });
    const yearly = (await plan("Yearly")).stripePriceId!;
    const portal = await portalFor(me.id);
    expect(portal.html).toContain("Manage your subscription");
    expect(portal.html).not.toContain(`value="${yearly}"`);
    const refused = await switchTo(portal.url, sub.stripeSubscriptionId, yearly);
    expect(refused.status).toBe(400);
    await app.settle();
    expect((await app.api.subscriptions.retrieve(sub.stripeSubscriptionId)).items.data[0]!.price.id).toBe((await plan("Monthly")).stripePriceId);
    expect(await paidAmounts(sub.stripeSubscriptionId)).toEqual([400]);
    // Stripe keeps the configuration: a second session and a second such reader reuse it.
    await portalFor(me.id);
    await subscriber("half-forever-2@portal-plans.test", offer).then(({ me: other }) => portalFor(other.id));
    const configurations = await ourConfigurations();
    expect(configurations).toHaveLength(1);
    expect(configurations[0]!.features.subscription_update.products).toEqual([
      expect.objectContaining({ prices: [(await plan("Monthly")).stripePriceId] }),
    ]);
  });

  it("both routes that open the portal, the card update and Manage billing, make the restricted session", async () => {
    const { createSession } = await import("@/lib/auth/create-session");
    const updateCard = await import("@/app/account/update-card/route");
    const billingPortal = await import("@/app/account/billing-portal/route");
    const offer = await makeOffer({ code: "PORTAL-ROUTES", kind: "percent", percentOff: 50 });
    const { me, sub } = await subscriber("routes@portal-plans.test", offer);
    const cookie = await createSession(await db(), me.id).then((s) => `${s.name}=${s.value}`);
    const yearly = (await plan("Yearly")).stripePriceId!;
    for (const [handler, path, body] of [
      [updateCard.POST, "/account/update-card", `subscription=${sub.stripeSubscriptionId}`],
      [billingPortal.POST, "/account/billing-portal", ""],
    ] as const) {
      const response = await handler(new NextRequest(`http://ledger.test${path}`, { method: "POST", headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, body }));
      expect(response.status).toBe(303);
      const page = await (await fetch(response.headers.get("location")!)).text();
      expect(page).toContain(`value="${sub.stripeSubscriptionId}"`);
      expect(page).not.toContain(`value="${yearly}"`);
    }
  });

  it("without a restricted discount the portal offers Yearly, and a switch bills the year at once, in full", async () => {
    const { me, sub } = await subscriber("no-offer@portal-plans.test");
    const yearly = (await plan("Yearly")).stripePriceId!;
    const portal = await portalFor(me.id);
    expect(portal.html).toContain(`value="${yearly}"`);
    expect((await switchTo(portal.url, sub.stripeSubscriptionId, yearly)).status).toBe(303);
    await app.settle();
    expect(await paidAmounts(sub.stripeSubscriptionId)).toEqual([800, 8000]);
    const [after] = await (await db()).select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, sub.stripeSubscriptionId));
    expect(after).toMatchObject({ planId: (await plan("Yearly")).id, status: "active" });
    expect(after!.currentPeriodEnd!.getTime() - after!.currentPeriodStart!.getTime()).toBeGreaterThanOrEqual(365 * 86_400_000);
  });

  it("a paid year is never switched to a shorter interval: after moving to Yearly, the portal offers no Monthly", async () => {
    const { me, sub } = await subscriber("year-kept@portal-plans.test");
    const yearly = (await plan("Yearly")).stripePriceId!;
    const monthly = (await plan("Monthly")).stripePriceId!;
    expect((await switchTo((await portalFor(me.id)).url, sub.stripeSubscriptionId, yearly)).status).toBe(303);
    await app.settle();
    const portal = await portalFor(me.id);
    expect(portal.html).not.toContain(`value="${monthly}"`);
    expect((await switchTo(portal.url, sub.stripeSubscriptionId, monthly)).status).toBe(400);
    expect(await paidAmounts(sub.stripeSubscriptionId)).toEqual([800, 8000]);
  });

  it("an offer on every plan restricts nothing", async () => {
    const offer = await makeOffer({ code: "PORTAL-ALL", kind: "percent", percentOff: 10, planIds: [(await plan("Monthly")).id, (await plan("Yearly")).id] });
    const { me } = await subscriber("every-plan@portal-plans.test", offer);
    expect((await portalFor(me.id)).html).toContain(`value="${(await plan("Yearly")).stripePriceId}"`);
  });

  it("once the offer has ended the portal offers Yearly again, and the switch bills the year in full", async () => {
    const offer = await makeOffer({ code: "PORTAL-MONTH", kind: "percent", percentOff: 50, duration: "repeating", durationMonths: 1 });
    const { me, sub } = await subscriber("month-off@portal-plans.test", offer);
    const yearly = (await plan("Yearly")).stripePriceId!;
    expect((await portalFor(me.id)).html).not.toContain(`value="${yearly}"`);
    await app.emulator.advanceClock(32 * 86_400);
    await app.settle();
    expect((await app.api.subscriptions.retrieve(sub.stripeSubscriptionId)).discounts).toEqual([]);
    const portal = await portalFor(me.id);
    expect(portal.html).toContain(`value="${yearly}"`);
    expect((await switchTo(portal.url, sub.stripeSubscriptionId, yearly)).status).toBe(303);
    await app.settle();
    expect(await paidAmounts(sub.stripeSubscriptionId)).toEqual([400, 800, 8000]);
  });
});
