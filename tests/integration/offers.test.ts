/**
 * Offers end to end on the app's side, against the Stripe emulator and a real database: each
 * kind of offer bought through our Checkout bills the right amounts over 14 months of emulator
 * clock and lands on our subscription row; new customers only; max redemptions under
 * concurrency; an edit is a new coupon; bad input saves and pushes nothing.
 */
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invoices, offers, plans, subscriptions, users, type Offer } from "@/db/schema";
import type { OfferInput } from "@/lib/admin/offers/form";
import { billingAppForSuite } from "./support/billing-app";
import { engines } from "./support/databases";
import { createLiveOffer, offerInput } from "./support/offer-fixtures";

const SECRET = "whsec_offers_0123456789abcdef0123456789abcd";
const KEY = "sk_test_offers";
const CARD = "4242424242424242";

describe.each(engines)("offers on %s", (engine) => {
  const admin = { id: "offers-admin", email: "admin@ledger.test" };
  const app = billingAppForSuite(engine, { key: KEY, secret: SECRET, admin });

  const db = () => app.db();
  const plan = async (name: "Monthly" | "Yearly") => (await (await db()).select().from(plans).where(eq(plans.name, name)))[0]!;

  const makeOffer = async (terms: Partial<OfferInput> & Pick<OfferInput, "code" | "kind">, planName: "Monthly" | "Yearly" = "Monthly") =>
    createLiveOffer(await db(), admin, offerInput({ planIds: [(await plan(planName)).id], newCustomersOnly: true, ...terms }));

  /** Starts our Checkout with the offer and pays it; returns our subscription row. */
  async function buy(offer: Offer, planName: "Monthly" | "Yearly") {
    const { offerForCheckout } = await import("@/lib/offers/public-offer");
    const { startCheckout } = await import("@/lib/billing/checkout");
    const planId = (await plan(planName)).id;
    const check = await offerForCheckout(await db(), offer.code.toLowerCase(), planId, null);
    if (!check.ok) throw new Error(check.reason);
    const start = await startCheckout(await db(), { user: null, planId, returnPath: "/", offer: check.offer });
    if (start.kind !== "checkout") throw new Error("expected a checkout");
    return start.url;
  }

  async function paid(url: string, email: string) {
    expect((await app.pay(url, CARD, email)).status).toBe(303);
    await app.settle();
    const [user] = await (await db()).select().from(users).where(eq(users.email, email));
    return (await (await db()).select().from(subscriptions).where(eq(subscriptions.userId, user!.id)))[0]!;
  }

  async function advanceMonths(months: number) {
    for (let i = 0; i < months; i++) {
      await app.emulator.advanceClock(31 * 86_400);
      await app.settle();
    }
  }

  it("each offer type bills right over 14 months, on Stripe and in our invoices, and our row knows the discount", async () => {
    const cases = [
      { offer: await makeOffer({ code: "TWO-FOR-3", kind: "amount", amountText: "6.00", duration: "repeating", durationMonths: 3 }), plan: "Monthly" as const, paid: [200, 200, 200, ...Array(12).fill(800)] },
      { offer: await makeOffer({ code: "HALF-YEAR", kind: "percent", percentOff: 50, duration: "once" }, "Yearly"), plan: "Yearly" as const, paid: [0, 4000, 8000] },
      { offer: await makeOffer({ code: "FREE-MONTH", kind: "percent", percentOff: 100, duration: "once" }), plan: "Monthly" as const, paid: [0, ...Array(14).fill(800)] },
      { offer: await makeOffer({ code: "TRIAL30", kind: "trial", trialDays: 30 }), plan: "Monthly" as const, paid: [0, ...Array(14).fill(800)] },
    ];
    const rows = [];
    for (const [i, c] of cases.entries()) rows.push(await paid(await buy(c.offer, c.plan), `offer${i}@ledger.test`));
    expect(rows[0]).toMatchObject({ status: "active", offerId: cases[0]!.offer.id, discountAmountOff: 600, discountDuration: "repeating" });
    expect(rows[1]).toMatchObject({ status: "trialing", offerId: cases[1]!.offer.id, discountPercentBp: 5000, discountDuration: "once" });
    // A 100 %-off month is a discount on an active subscription, not a trial.
    expect(rows[2]).toMatchObject({ status: "active", discountPercentBp: 10_000, trialEnd: null });
    expect(rows[3]).toMatchObject({ status: "trialing", offerId: cases[3]!.offer.id, discountDuration: null });
    // Net MRR: the $6-off discount still applies to the next invoice; the used 100 %-off month does not.
    const { discountRevenue } = await import("@/lib/offers/discount-revenue");
    expect(await discountRevenue(await db(), new Date(), 3)).toEqual([{ currency: "usd", list: 1600, net: 1000, returning: 600 }]);
    await advanceMonths(14);
    for (const [i, c] of cases.entries()) {
      const ours = await (await db()).select().from(invoices).where(eq(invoices.stripeSubscriptionId, rows[i]!.stripeSubscriptionId)).orderBy(asc(invoices.stripeCreated));
      expect(ours.map((inv) => inv.amountPaid), c.offer.code).toEqual(c.paid);
      const stripeSide = (await app.api.invoices.list({ subscription: rows[i]!.stripeSubscriptionId, limit: 100 })).data.reverse();
      expect(stripeSide.map((inv) => inv.amount_paid)).toEqual(c.paid);
    }
    const after = await (await db()).select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, rows[0]!.stripeSubscriptionId));
    expect(after[0]).toMatchObject({ status: "active", discountAmountOff: null, discountDuration: null });
    expect(await discountRevenue(await db(), new Date(), 3)).toEqual([]);
  });

  it("new customers only: a reader who has subscribed before is refused, here and by Stripe when typing the code", async () => {
    const both = [(await plan("Monthly")).id, (await plan("Yearly")).id];
    const offer = await makeOffer({ code: "NEWBIES", kind: "percent", percentOff: 30, planIds: both });
    const { offerForCheckout } = await import("@/lib/offers/public-offer");
    const [returning] = await (await db()).select().from(subscriptions).limit(1);
    expect(await offerForCheckout(await db(), "newbies", (await plan("Monthly")).id, returning!.userId)).toEqual({ ok: false, reason: "new_customers_only" });
    // Typed at Checkout, where only Stripe's first_time_transaction rule stands between the code and a returning customer.
    const { saveOfferPlacement } = await import("@/lib/admin/offers/commands");
    const { reconcileTypedCodes } = await import("@/lib/offers/typed-codes");
    await saveOfferPlacement(await db(), admin, { checkoutAcceptsCodes: true, featuredOfferId: null });
    await reconcileTypedCodes(await db());
    expect((await app.api.promotionCodes.retrieve(offer.stripePromotionCodeId!)).active).toBe(true);
    const session = await app.api.checkout.sessions.create({
      mode: "subscription",
      customer: returning!.stripeCustomerId,
      line_items: [{ price: (await plan("Monthly")).stripePriceId!, quantity: 1 }],
      allow_promotion_codes: true,
      success_url: "http://ledger.test/ok",
    });
    const refused = await app.pay(session.url!, CARD, "returning@ledger.test", "newbies");
    expect(refused.status).toBe(402);
    expect(await refused.text()).toMatch(/prior transactions/);
    await saveOfferPlacement(await db(), admin, { checkoutAcceptsCodes: false, featuredOfferId: null });
    await reconcileTypedCodes(await db());
  });

  it("max redemptions holds when two readers pay at once; the offer page then says it is claimed", async () => {
    const offer = await makeOffer({ code: "ONLY-ONE", kind: "percent", percentOff: 20, maxRedemptions: 1 });
    const urls = [await buy(offer, "Monthly"), await buy(offer, "Monthly")];
    const results = await Promise.all(urls.map((url, i) => app.pay(url, CARD, `race${i + 1}@ledger.test`)));
    expect(results.map((r) => r.status).sort()).toEqual([303, 402]);
    await app.settle();
    const { findPublicOffer } = await import("@/lib/offers/public-offer");
    expect((await findPublicOffer(await db(), "only-one")).state).toBe("exhausted");
  });

  it("an edit is a new offer with a new coupon; the old code stops working in Stripe", async () => {
    const first = await makeOffer({ code: "SPRING", kind: "percent", percentOff: 10 });
    const second = await makeOffer({ code: "SPRING", kind: "percent", percentOff: 15, replaces: first.id });
    expect(second.id).not.toBe(first.id);
    expect(second.stripeCouponId).toBe(`masthead-offer-${second.id}`);
    expect((await app.api.coupons.retrieve(second.stripeCouponId!)).percent_off).toBe(15);
    const { tryPushOfferToStripe } = await import("@/lib/offers/push-offer");
    await tryPushOfferToStripe(await db(), first.id);
    expect((await app.api.promotionCodes.retrieve(first.stripePromotionCodeId!)).active).toBe(false);
    const [old] = await (await db()).select().from(offers).where(eq(offers.id, first.id));
    expect(old!.archivedAt).not.toBeNull();
    // Pushing again finds what exists: no second coupon or code.
    await tryPushOfferToStripe(await db(), second.id);
    expect((await app.api.promotionCodes.list({ coupon: second.stripeCouponId!, limit: 100 })).data).toHaveLength(1);
  });

  it("bad input: a field error, nothing saved, nothing pushed", async () => {
    const { createOffer } = await import("@/lib/admin/offers/commands");
    const before = (await (await db()).select().from(offers)).length;
    const coupons = (await app.api.coupons.list({ limit: 100 })).data.length;
    const base = { name: "Bad", code: "BAD", kind: "amount" as const, percentOff: null, trialDays: null, duration: "once" as const, durationMonths: null, planIds: [(await plan("Monthly")).id], newCustomersOnly: true, startsAt: null, endsAt: null, maxRedemptions: null, replaces: null };
    expect(await createOffer(await db(), admin, { ...base, amountText: "2.005" })).toMatchObject({ ok: false, field: "amountOff" });
    expect(await createOffer(await db(), admin, { ...base, amountText: "2", code: "spring" })).toMatchObject({ ok: false, field: "code" });
    expect(await createOffer(await db(), admin, { ...base, amountText: "2", planIds: [999_999] })).toMatchObject({ ok: false, field: "planIds" });
    expect((await (await db()).select().from(offers)).length).toBe(before);
    expect((await app.api.coupons.list({ limit: 100 })).data.length).toBe(coupons);
  });
});
