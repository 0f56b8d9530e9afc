import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { familyMembers, plans, subscriptions, type Plan } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";
import { pushPlanToStripe } from "@/lib/billing/push-plans";
import { recordAudit } from "../audit/record";
import type { AdminActor } from "../shared/action";
import { parseMoneyInput } from "@/lib/billing/money";
import { planTerms } from "./queries";
import type { CreatePlanInput, UpdatePlanInput } from "./form";

/** What the audit log keeps of a plan. */
function snapshot(plan: Plan) {
  return { ...planTerms(plan), stripePriceId: plan.stripePriceId };
}

/** The columns an admin's form sets on a plan, the amount already parsed into minor units. */
function editedTerms(input: CreatePlanInput | UpdatePlanInput, amount: number) {
  const { name, description, features, trialDays, trialPerPlan, interval, familyAccounts } = input;
  return { name, description, features, trialDays, trialPerPlan, amount, interval, ...(familyAccounts === undefined ? {} : { familyAccounts }) };
}

export type PlanChange =
  | { ok: true; planId: number; changed: boolean; priceChanged: boolean }
  | { ok: false; field?: string; message: string };

export async function createPlan(db: Db, actor: AdminActor, input: CreatePlanInput): Promise<PlanChange> {
  const amount = parseMoneyInput(input.amount, input.currency);
  if (!amount.ok) return { ok: false, field: "amount", message: amount.message };
  return db.transaction(async (tx) => {
    const [last] = await tx.select({ max: sql<number | null>`max(${plans.sortOrder})` }).from(plans);
    const [plan] = await tx
      .insert(plans)
      .values({ ...editedTerms(input, amount.amount), currency: input.currency, sortOrder: (last?.max ?? -1) + 1 })
      .returning();
    await announceChange(tx, "plans");
    await recordAudit(tx, { actor, action: "plan.create", targetType: "plan", targetId: plan!.id, before: null, after: snapshot(plan!) });
    return { ok: true, planId: plan!.id, changed: true, priceChanged: true };
  });
}

/**
 * Edits a plan in place. A new amount or interval cannot change a Stripe price (they are
 * immutable): the plan lets go of its price here (so nobody can buy the old price for the new
 * one while Stripe is being told), and the push creates the new price and archives the old.
 * Subscribers stay on the price they bought.
 */
export async function updatePlan(db: Db, actor: AdminActor, input: UpdatePlanInput): Promise<PlanChange> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(plans).where(eq(plans.id, input.id)).for("update");
    if (!before) return { ok: false, message: "This plan no longer exists." };
    const amount = parseMoneyInput(input.amount, before.currency);
    if (!amount.ok) return { ok: false, field: "amount", message: amount.message };
    const next = editedTerms(input, amount.amount);
    const priceChanged = next.amount !== before.amount || next.interval !== before.interval;
    const changed =
      priceChanged ||
      next.name !== before.name ||
      next.description !== before.description ||
      next.trialDays !== before.trialDays ||
      next.trialPerPlan !== before.trialPerPlan ||
      (next.familyAccounts !== undefined && next.familyAccounts !== before.familyAccounts) ||
      JSON.stringify(next.features) !== JSON.stringify(before.features);
    if (!changed) return { ok: true, planId: before.id, changed: false, priceChanged: false };
    const [after] = await tx
      .update(plans)
      .set({ ...next, ...(priceChanged ? { stripePriceId: null } : {}), updatedAt: sql`now()` })
      .where(eq(plans.id, before.id))
      .returning();
    await announceChange(tx, "plans");
    if (after!.familyAccounts !== before.familyAccounts) await announceFamilyMembers(tx, before.id);
    await recordAudit(tx, { actor, action: priceChanged ? "plan.price_change" : "plan.update", targetType: "plan", targetId: before.id, before: snapshot(before), after: snapshot(after!) });
    return { ok: true, planId: before.id, changed: true, priceChanged };
  });
}

/** Swaps a plan with its neighbour in the paywall's order (and renumbers 0…n, so ties cannot stick). */
export async function movePlan(db: Db, actor: AdminActor, id: number, direction: "up" | "down"): Promise<PlanChange> {
  return db.transaction(async (tx) => {
    const all = await tx.select({ id: plans.id, sortOrder: plans.sortOrder }).from(plans).orderBy(asc(plans.sortOrder), asc(plans.id)).for("update");
    const at = all.findIndex((p) => p.id === id);
    if (at === -1) return { ok: false, message: "This plan no longer exists." };
    const to = direction === "up" ? at - 1 : at + 1;
    if (to < 0 || to >= all.length) return { ok: true, planId: id, changed: false, priceChanged: false };
    const order = all.map((p) => p.id);
    [order[at], order[to]] = [order[to]!, order[at]!];
    for (const [position, planId] of order.entries()) {
      if (all.find((p) => p.id === planId)!.sortOrder !== position) await tx.update(plans).set({ sortOrder: position }).where(eq(plans.id, planId));
    }
    await announceChange(tx, "plans");
    await recordAudit(tx, { actor, action: "plan.reorder", targetType: "plan", targetId: id, before: { order: all.map((p) => p.id) }, after: { order } });
    return { ok: true, planId: id, changed: true, priceChanged: false };
  });
}

/** Archives (no longer sold; subscribers keep their price) or brings back a plan. */
export async function setPlanActive(db: Db, actor: AdminActor, id: number, active: boolean): Promise<PlanChange> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(plans).where(eq(plans.id, id)).for("update");
    if (!before) return { ok: false, message: "This plan no longer exists." };
    if (before.active === active) return { ok: true, planId: id, changed: false, priceChanged: false };
    const [after] = await tx.update(plans).set({ active, updatedAt: sql`now()` }).where(eq(plans.id, id)).returning();
    await announceChange(tx, "plans");
    await recordAudit(tx, { actor, action: active ? "plan.unarchive" : "plan.archive", targetType: "plan", targetId: id, before: snapshot(before), after: snapshot(after!) });
    return { ok: true, planId: id, changed: true, priceChanged: false };
  });
}

export type PushOutcome = { ok: true } | { ok: false; message: string };

/**
 * Pushes a plan as stored to Stripe; safe to run again and again (a failed push is retried with
 * the same call). Before pushPlanToStripe: prices of this plan with other terms are archived,
 * and an archived price with exactly the plan's terms is made active again, so going back to an
 * earlier price (or unarchiving) reuses it instead of replaying a create Stripe remembers.
 */
export async function tryPushPlanToStripe(db: Db, planId: number): Promise<PushOutcome> {
  try {
    const [plan] = await db.select().from(plans).where(eq(plans.id, planId));
    if (!plan) return { ok: false, message: "This plan no longer exists." };
    await pushPlanToStripe(db, plan);
    return { ok: true };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 300) : String(error);
    console.error(`Could not push plan ${planId} to Stripe:`, error);
    return { ok: false, message: reason };
  }
}


/** A plan made (or no longer) a family plan: the members of its subscriptions are judged again on every instance. */
async function announceFamilyMembers(tx: Db, planId: number): Promise<void> {
  const members = await tx
    .selectDistinct({ userId: familyMembers.userId })
    .from(familyMembers)
    .innerJoin(subscriptions, eq(subscriptions.stripeSubscriptionId, familyMembers.stripeSubscriptionId))
    .where(eq(subscriptions.planId, planId));
  for (const { userId } of members) await announceChange(tx, "readers", userId);
}
