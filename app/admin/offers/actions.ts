"use server";

import { refresh } from "next/cache";
import { getDb } from "@/db/client";
import { adminAction, type ActionResult } from "@/lib/admin/shared/action";
import { offerFormSchema, offerIdSchema, offerPlacementSchema, retentionFormSchema } from "@/lib/admin/offers/form";
import { archiveOffer, createOffer, saveOfferPlacement, saveRetention, type OfferChange } from "@/lib/admin/offers/commands";
import { tryPushOfferToStripe } from "@/lib/offers/push-offer";
import { reconcileTypedCodes } from "@/lib/offers/typed-codes";

/** After an offer is stored (with its audit row): push it to Stripe, and say what happened. */
async function afterChange(change: OfferChange, done: string): Promise<ActionResult> {
  if (!change.ok) {
    return change.field
      ? { ok: false, fieldErrors: { [change.field]: change.message }, message: "Nothing was saved: please correct the fields marked below." }
      : { ok: false, fieldErrors: {}, message: change.message };
  }
  const pushed = await tryPushOfferToStripe(await getDb(), change.offerId);
  refresh();
  if (!pushed.ok) return { ok: false, fieldErrors: {}, message: `Saved here, but Stripe could not be updated (${pushed.message}). Use “Retry sync”.` };
  return { ok: true, message: done };
}

export const createOfferAction = adminAction(offerFormSchema, async (input, admin) =>
  afterChange(
    await createOffer(await getDb(), admin, input),
    input.replaces ? "Saved as a new offer; the old one is archived (its subscribers keep their terms)." : "Offer created and live in Stripe.",
  ),
);

export const archiveOfferAction = adminAction(offerIdSchema, async ({ id }, admin) =>
  afterChange(await archiveOffer(await getDb(), admin, id), "Archived: its link and code no longer work; subscribers keep their terms."),
);

export const pushOfferAction = adminAction(offerIdSchema, async ({ id }): Promise<ActionResult> => {
  const pushed = await tryPushOfferToStripe(await getDb(), id);
  refresh();
  return pushed.ok ? { ok: true, message: "In sync with Stripe." } : { ok: false, fieldErrors: {}, message: `Stripe could not be updated (${pushed.message}). Try again.` };
});

export const saveRetentionAction = adminAction(retentionFormSchema, async (input, admin): Promise<ActionResult> => {
  const saved = await saveRetention(await getDb(), admin, input);
  if (!saved.ok) return { ok: false, fieldErrors: { [saved.field]: saved.message }, message: "Nothing was saved: please correct the fields marked below." };
  refresh();
  return { ok: true, message: input.kind === "none" ? "The cancel screen offers nothing." : "Saved: the cancel screen shows it once per subscription." };
});

/** Codes typed at Checkout and the paywall card's offer; Stripe's codes are switched to match at once. */
export const saveOfferPlacementAction = adminAction(offerPlacementSchema, async (input, admin): Promise<ActionResult> => {
  const db = await getDb();
  const saved = await saveOfferPlacement(db, admin, input);
  if (!saved.ok) return { ok: false, fieldErrors: { [saved.field]: saved.message }, message: "Nothing was saved: please correct the fields marked below." };
  const codes = await reconcileTypedCodes(db);
  refresh();
  if (codes.failed > 0) return { ok: false, fieldErrors: {}, message: `Saved, but Stripe could not be updated for ${codes.failed} ${codes.failed === 1 ? "code" : "codes"}; it is retried every minute.` };
  return { ok: true, message: saved.changed ? "Saved." : "Nothing changed." };
});
