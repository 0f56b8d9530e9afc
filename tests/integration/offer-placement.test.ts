/**
 * Where offers appear beyond their own page, against the Stripe emulator and a real database:
 * codes typed at Checkout (a setting) work only for offers Stripe can hold to their terms, and
 * follow the setting, new plans and start dates; a typed code is counted as its offer's; the
 * paywall card's featured offer is only ever a live one, follows an edit and goes with an archive.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { offers, plans, siteSettings, subscriptions, users, type Offer } from "@/db/schema";
import type { OfferInput } from "@/lib/admin/offers/form";
import { billingAppForSuite } from "./support/billing-app";
import { engines } from "./support/databases";
import { createLiveOffer, offerInput } from "./support/offer-fixtures";

const SECRET = "whsec_placement_0123456789abcdef0123456789a";
const KEY = "sk_test_placement";
const CARD = "4242424242424242";
const DAY = 86_400_000;

describe.each(engines)("offer placement on %s", (engine) => {
  const admin = { id: "placement-admin", email: "admin@ledger.test" };
  const app = billingAppForSuite(engine, { key: KEY, secret: SECRET, admin });

  const db = () => app.db();
  const planIds = async (...names: string[]) => (await (await db()).select().from(plans)).filter((p) => names.includes(p.name)).map((p) => p.id);
  const offerRow = async (id: number) => (await (await db()).select().from(offers).where(eq(offers.id, id)))[0]!;
  const codeActive = async (offer: Offer) => (await app.api.promotionCodes.retrieve(offer.stripePromotionCodeId!)).active;

  const makeOffer = async (terms: Partial<OfferInput> & Pick<OfferInput, "code">) =>
    createLiveOffer(await db(), admin, offerInput({ kind: "percent", percentOff: 25, planIds: await planIds("Monthly", "Yearly"), ...terms }));

  async function place(input: { checkoutAcceptsCodes: boolean; featuredOfferId: number | null }) {
    const { saveOfferPlacement } = await import("@/lib/admin/offers/commands");
    const { reconcileTypedCodes } = await import("@/lib/offers/typed-codes");
    const saved = await saveOfferPlacement(await db(), admin, input);
    await reconcileTypedCodes(await db());
    return saved;
  }

  /** A plain Checkout for Monthly (no offer), as the paywall's "Choose Monthly" starts it. */
  async function plainCheckout() {
    const { startCheckout } = await import("@/lib/billing/checkout");
    const [planId] = await planIds("Monthly");
    const start = await startCheckout(await db(), { user: null, planId: planId!, returnPath: "/" });
    if (start.kind !== "checkout") throw new Error("expected a checkout");
    return start.url;
  }

  const sessionOf = (url: string) => app.api.checkout.sessions.retrieve(new URL(url).pathname.split("/").at(-1)!);

  it("off by default: Checkout takes no typed code, and offers' codes stay inactive in Stripe", async () => {
    const offer = await makeOffer({ code: "EVERYONE25" });
    expect(offer.promotionCodeActive).toBe(false);
    expect(await codeActive(offer)).toBe(false);
    const url = await plainCheckout();
    expect((await sessionOf(url)).allow_promotion_codes).toBeFalsy();
    expect(await (await fetch(url)).text()).not.toContain('name="promotion_code"');
  });

  it("on: only a started offer open to every plan on sale is typeable; a typed code is charged and counted as its offer", async () => {
    const everyone = (await (await db()).select().from(offers).where(eq(offers.code, "EVERYONE25")))[0]!;
    const monthlyOnly = await makeOffer({ code: "MONTHLY-ONLY", planIds: await planIds("Monthly") });
    const later = await makeOffer({ code: "LATER", startsAt: new Date(Date.now() + 10 * DAY) });
    const trial = await makeOffer({ code: "TRIAL-TYPED", kind: "trial", percentOff: null, trialDays: 14 });
    expect(await place({ checkoutAcceptsCodes: true, featuredOfferId: null })).toEqual({ ok: true, changed: true });
    expect(await codeActive(everyone)).toBe(true);
    expect(await codeActive(monthlyOnly)).toBe(false);
    expect(await codeActive(later)).toBe(false);
    expect(trial.stripePromotionCodeId).toBeNull();
    expect((await offerRow(everyone.id)).promotionCodeActive).toBe(true);

    const url = await plainCheckout();
    expect((await sessionOf(url)).allow_promotion_codes).toBe(true);
    // A code limited to some plans would be taken by Stripe for any: it is not typeable.
    expect((await app.pay(url, CARD, "typist-refused@ledger.test", "monthly-only")).status).toBe(402);
    expect((await app.pay(url, CARD, "typist@ledger.test", "everyone25")).status).toBe(303);
    await app.settle();
    const [typist] = await (await db()).select().from(users).where(eq(users.email, "typist@ledger.test"));
    const [sub] = await (await db()).select().from(subscriptions).where(eq(subscriptions.userId, typist!.id));
    expect(sub).toMatchObject({ offerId: everyone.id, discountPercentBp: 2500 });
    expect((await app.api.invoices.list({ subscription: sub!.stripeSubscriptionId })).data[0]?.amount_paid).toBe(600);
    // The once-discount is used up at the next renewal; the subscription still counts for its offer.
    await app.emulator.advanceClock(31 * 86_400);
    await app.settle();
    const [renewed] = await (await db()).select().from(subscriptions).where(eq(subscriptions.userId, typist!.id));
    expect(renewed).toMatchObject({ offerId: everyone.id, discountPercentBp: null });

    // Its start date passes: the next round of the reconciler turns the code on, with nobody acting.
    const { reconcileTypedCodes } = await import("@/lib/offers/typed-codes");
    expect(await reconcileTypedCodes(await db(), new Date(Date.now() + 11 * DAY))).toMatchObject({ activated: 1, failed: 0 });
    expect(await codeActive(later)).toBe(true);
    expect(await reconcileTypedCodes(await db(), new Date(Date.now() + 11 * DAY))).toEqual({ activated: 0, deactivated: 0, failed: 0 });
  });

  it("a new plan on sale closes the codes it is not eligible for; turning the setting off closes them all", async () => {
    const everyone = (await (await db()).select().from(offers).where(eq(offers.code, "EVERYONE25")))[0]!;
    const [extra] = await (await db()).insert(plans).values({ name: "Weekly", amount: 300, currency: "usd", interval: "month" }).returning();
    const { reconcileTypedCodes } = await import("@/lib/offers/typed-codes");
    // EVERYONE25 for the new plan; LATER because, on today's clock, it has not started after all.
    expect(await reconcileTypedCodes(await db())).toEqual({ activated: 0, deactivated: 2, failed: 0 });
    expect(await codeActive(everyone)).toBe(false);
    await (await db()).update(plans).set({ active: false }).where(eq(plans.id, extra!.id));
    await reconcileTypedCodes(await db());
    expect(await codeActive(everyone)).toBe(true);
    expect(await place({ checkoutAcceptsCodes: false, featuredOfferId: null })).toEqual({ ok: true, changed: true });
    expect(await codeActive(everyone)).toBe(false);
    expect((await (await db()).select().from(offers).where(eq(offers.promotionCodeActive, true))).map((o) => o.code)).toEqual([]);
  });

  it("the featured offer: only a live one is accepted; it shows its terms, follows an edit, and goes with an archive", async () => {
    const { archiveOffer, createOffer } = await import("@/lib/admin/offers/commands");
    const { getFeaturedOffer } = await import("@/lib/offers/featured-offer");
    const featured = await makeOffer({ code: "CARD-HALF", percentOff: 50, planIds: await planIds("Monthly") });
    const gone = await makeOffer({ code: "GONE" });
    expect(await archiveOffer(await db(), admin, gone.id)).toEqual({ ok: true, offerId: gone.id });
    const before = (await (await db()).select().from(siteSettings))[0];
    expect(await place({ checkoutAcceptsCodes: false, featuredOfferId: gone.id })).toMatchObject({ ok: false, field: "featuredOfferId" });
    expect(await place({ checkoutAcceptsCodes: false, featuredOfferId: 999_999 })).toMatchObject({ ok: false, field: "featuredOfferId" });
    expect((await (await db()).select().from(siteSettings))[0]).toEqual(before);

    expect(await place({ checkoutAcceptsCodes: false, featuredOfferId: featured.id })).toEqual({ ok: true, changed: true });
    const [monthly] = await planIds("Monthly");
    expect(await getFeaturedOffer(featured.id)).toEqual({
      code: "CARD-HALF",
      name: "CARD-HALF",
      newCustomersOnly: false,
      plans: [{ id: monthly, name: "Monthly", headline: "$4.00 for the first month, then $8.00/month", renewal: "Then $8.00/month, renewing until you cancel; cancel any time." }],
    });

    // An edit is a new offer: the card follows it.
    const edited = await createOffer(await db(), admin, {
      name: "Card: 60 % off",
      code: "CARD-HALF",
      kind: "percent",
      percentOff: 60,
      amountText: null,
      trialDays: null,
      duration: "once",
      durationMonths: null,
      planIds: [monthly!],
      newCustomersOnly: false,
      startsAt: null,
      endsAt: null,
      maxRedemptions: null,
      replaces: featured.id,
    });
    if (!edited.ok) throw new Error(edited.message);
    const { tryPushOfferToStripe } = await import("@/lib/offers/push-offer");
    await tryPushOfferToStripe(await db(), edited.offerId);
    expect((await (await db()).select().from(siteSettings))[0]?.featuredOfferId).toBe(edited.offerId);
    // The cache hears of changes by NOTIFY, a moment after the commit.
    await expect.poll(() => getFeaturedOffer(featured.id)).toBeNull();
    expect((await getFeaturedOffer(edited.offerId))?.plans[0]?.headline).toBe("$3.20 for the first month, then $8.00/month");

    expect(await archiveOffer(await db(), admin, edited.offerId)).toEqual({ ok: true, offerId: edited.offerId });
    expect((await (await db()).select().from(siteSettings))[0]?.featuredOfferId).toBeNull();
    await expect.poll(() => getFeaturedOffer(edited.offerId)).toBeNull();
  });

  it("an edit whose code another live offer holds is refused and leaves the edited offer live", async () => {
    const { createOffer } = await import("@/lib/admin/offers/commands");
    const first = await makeOffer({ code: "KEEP-ME" });
    await makeOffer({ code: "TAKEN" });
    const refused = await createOffer(await db(), admin, {
      name: "rename",
      code: "taken",
      kind: "percent",
      percentOff: 30,
      amountText: null,
      trialDays: null,
      duration: "once",
      durationMonths: null,
      planIds: await planIds("Monthly"),
      newCustomersOnly: false,
      startsAt: null,
      endsAt: null,
      maxRedemptions: null,
      replaces: first.id,
    });
    expect(refused).toMatchObject({ ok: false, field: "code" });
    expect((await offerRow(first.id)).archivedAt).toBeNull();
  });
});
