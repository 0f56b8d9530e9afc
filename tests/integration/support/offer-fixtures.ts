import { eq } from "drizzle-orm";
import { expect } from "vitest";
import type { Db } from "@/db/client";
import { offers, type Offer } from "@/db/schema";
import type { OfferInput } from "@/lib/admin/offers/form";

/** An offer's form with every optional term off; a test names the code, kind, plans and what it sets. */
export function offerInput(terms: Partial<OfferInput> & Pick<OfferInput, "code" | "kind" | "planIds">): OfferInput {
  return {
    name: terms.code,
    percentOff: null,
    amountText: null,
    trialDays: null,
    duration: "once",
    durationMonths: null,
    newCustomersOnly: false,
    startsAt: null,
    endsAt: null,
    maxRedemptions: null,
    replaces: null,
    ...terms,
  };
}

/** Creates an offer as an admin does and pushes it to Stripe (which must take it); returns its row. */
export async function createLiveOffer(db: Db, admin: { id: string; email: string }, input: OfferInput): Promise<Offer> {
  const { createOffer } = await import("@/lib/admin/offers/commands");
  const { tryPushOfferToStripe } = await import("@/lib/offers/push-offer");
  const made = await createOffer(db, admin, input);
  if (!made.ok) throw new Error(made.message);
  expect(await tryPushOfferToStripe(db, made.offerId)).toEqual({ ok: true });
  return (await db.select().from(offers).where(eq(offers.id, made.offerId)))[0]!;
}
