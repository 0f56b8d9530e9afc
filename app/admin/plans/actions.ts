"use server";

import { refresh } from "next/cache";
import { getDb } from "@/db/client";
import { adminAction, refused, refusedField, type ActionResult } from "@/lib/admin/shared/action";
import { createPlanSchema, movePlanSchema, planActiveSchema, planIdSchema, updatePlanSchema } from "@/lib/admin/plans/form";
import { reconcileTypedCodes } from "@/lib/offers/typed-codes";
import { createPlan, movePlan, tryPushPlanToStripe, setPlanActive, updatePlan, type PlanChange } from "@/lib/admin/plans/commands";

/** After a change is stored (with its audit row): push it to Stripe, and say what happened. */
async function afterChange(change: PlanChange, done: string, options: { push: boolean }): Promise<ActionResult> {
  if (!change.ok) {
    return change.field ? refusedField(change.field, change.message) : refused(change.message);
  }
  if (!change.changed) return { ok: true, message: "Nothing changed." };
  // Codes typed at Checkout must cover every plan on sale: settle them before and after the push.
  await reconcileTypedCodes(await getDb());
  const pushed = options.push ? await tryPushPlanToStripe(await getDb(), change.planId) : { ok: true as const };
  if (options.push) await reconcileTypedCodes(await getDb());
  refresh();
  if (!pushed.ok) {
    return refused(
      `Saved here, but Stripe could not be updated (${pushed.message}). ${change.priceChanged ? "The plan cannot be bought until it is synced. " : ""}Use “Retry sync”.`,
    );
  }
  return { ok: true, message: done };
}

export const createPlanAction = adminAction(createPlanSchema, async (input, admin) =>
  afterChange(await createPlan(await getDb(), admin, input), "Plan created and on sale in Stripe.", { push: true }),
);

export const updatePlanAction = adminAction(updatePlanSchema, async (input, admin) => {
  const change = await updatePlan(await getDb(), admin, input);
  const done =
    change.ok && change.priceChanged ? "Saved. New subscribers get the new price; existing subscribers stay on their old price." : "Saved.";
  return afterChange(change, done, { push: true });
});

export const movePlanAction = adminAction(movePlanSchema, async ({ id, direction }, admin) =>
  afterChange(await movePlan(await getDb(), admin, id, direction), "Moved.", { push: false }),
);

export const setPlanActiveAction = adminAction(planActiveSchema, async ({ id, active }, admin) =>
  afterChange(
    await setPlanActive(await getDb(), admin, id, active),
    active ? "Back on sale." : "Archived: no longer sold; its subscribers keep their price.",
    { push: true },
  ),
);

/** Pushes a plan to Stripe again (after a failure); idempotent, so it converges. */
export const pushPlanAction = adminAction(planIdSchema, async ({ id }): Promise<ActionResult> => {
  const pushed = await tryPushPlanToStripe(await getDb(), id);
  refresh();
  return pushed.ok ? { ok: true, message: "In sync with Stripe." } : refused(`Stripe could not be updated (${pushed.message}). Try again.`);
});
