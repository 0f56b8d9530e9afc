import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { experiments, experimentVariants, offers, plans, segmentRules, siteSettings, type ExperimentVariant } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";
import { recordAudit } from "../audit/record";
import type { AdminActor } from "../shared/action";
import { loadStoredSettings } from "../settings/queries";
import type { ExperimentInput } from "./form";

export type ExperimentChange = { ok: true; id: number } | { ok: false; field?: string; message: string };

/** The offers, plans and segment rule the form names, as the database has them now: the first that is missing, as a field error. */
async function missingReference(tx: Tx, input: ExperimentInput): Promise<ExperimentChange | null> {
  const offerIds = input.variants.flatMap((v) => (v.featuredOfferId === null ? [] : [v.featuredOfferId]));
  const planIds = input.variants.flatMap((v) => [...(v.planOrder ?? []), ...(v.defaultPlanId === null ? [] : [v.defaultPlanId])]);
  if (input.segmentId !== null) {
    const [segment] = await tx.select({ id: segmentRules.id }).from(segmentRules).where(eq(segmentRules.id, input.segmentId));
    if (!segment) return { ok: false, field: "segment", message: "That segment rule no longer exists" };
  }
  const knownOffers = new Set(offerIds.length ? (await tx.select({ id: offers.id }).from(offers).where(inArray(offers.id, offerIds))).map((o) => o.id) : []);
  const knownPlans = new Set(planIds.length ? (await tx.select({ id: plans.id }).from(plans).where(and(inArray(plans.id, planIds), eq(plans.active, true)))).map((p) => p.id) : []);
  for (const v of input.variants) {
    if (v.featuredOfferId !== null && !knownOffers.has(v.featuredOfferId)) return { ok: false, field: `v${v.row}_offer`, message: "That offer no longer exists" };
    const unknown = (v.planOrder ?? []).find((id) => !knownPlans.has(id));
    if (unknown !== undefined) return { ok: false, field: `v${v.row}_planOrder`, message: `There is no active plan ${unknown}` };
    if (v.defaultPlanId !== null && !knownPlans.has(v.defaultPlanId)) return { ok: false, field: `v${v.row}_defaultPlan`, message: "That plan is not active" };
  }
  return null;
}

/** Creates a draft experiment with its variants, after checking the offers, plans and segment they name exist; one transaction with its audit row. */
export async function createExperiment(db: Db, actor: AdminActor, input: ExperimentInput): Promise<ExperimentChange> {
  return db.transaction(async (tx) => {
    const missing = await missingReference(tx, input);
    if (missing) return missing;
    const [experiment] = await tx.insert(experiments).values({ name: input.name, segmentId: input.segmentId, salt: randomBytes(32).toString("base64url") }).returning();
    const rows = await tx
      .insert(experimentVariants)
      .values(input.variants.map(({ row: _row, ...v }) => ({ ...v, experimentId: experiment!.id })))
      .returning();
    await recordAudit(tx, { actor, action: "experiment.create", targetType: "experiment", targetId: experiment!.id, before: null, after: { name: input.name, segmentId: input.segmentId, variants: rows.map(snapshot) } });
    return { ok: true, id: experiment!.id };
  });
}

/**
 * Edits a draft (never one that has started: its readers have seen its variants), with the same
 * checks as a new one: its name, target and variants are replaced; the salt stays. One
 * transaction with the before and after in the audit log.
 */
export async function updateExperiment(db: Db, actor: AdminActor, id: number, input: ExperimentInput): Promise<ExperimentChange> {
  return db.transaction(async (tx) => {
    const [experiment] = await tx.select().from(experiments).where(eq(experiments.id, id)).for("update");
    if (!experiment) return { ok: false, message: "This experiment no longer exists." };
    if (experiment.state !== "draft") return { ok: false, message: "Only a draft can be edited: this one has started." };
    const missing = await missingReference(tx, input);
    if (missing) return missing;
    const before = await tx.select().from(experimentVariants).where(eq(experimentVariants.experimentId, id)).orderBy(experimentVariants.position);
    await tx.update(experiments).set({ name: input.name, segmentId: input.segmentId }).where(eq(experiments.id, id));
    await tx.delete(experimentVariants).where(eq(experimentVariants.experimentId, id));
    const rows = await tx
      .insert(experimentVariants)
      .values(input.variants.map(({ row: _row, ...v }) => ({ ...v, experimentId: id })))
      .returning();
    await recordAudit(tx, {
      actor,
      action: "experiment.update",
      targetType: "experiment",
      targetId: id,
      before: { name: experiment.name, segmentId: experiment.segmentId, variants: before.map(snapshot) },
      after: { name: input.name, segmentId: input.segmentId, variants: rows.map(snapshot) },
    });
    return { ok: true, id };
  });
}

function snapshot(v: ExperimentVariant) {
  const { id: _id, experimentId: _experiment, ...rest } = v;
  return rest;
}

/** Starts a draft: from the commit, every instance assigns its readers. Variants are frozen from here. */
export async function startExperiment(db: Db, actor: AdminActor, id: number): Promise<ExperimentChange> {
  return moveState(db, actor, id, "draft", "running", "experiment.start", { startedAt: sql`now()` });
}

/** Stops a running experiment: assignment ends on every instance at the commit; its results stay. */
export async function stopExperiment(db: Db, actor: AdminActor, id: number): Promise<ExperimentChange> {
  return moveState(db, actor, id, "running", "stopped", "experiment.stop", { stoppedAt: sql`now()` });
}

async function moveState(db: Db, actor: AdminActor, id: number, from: "draft" | "running", to: "running" | "stopped", action: string, set: object): Promise<ExperimentChange> {
  return db.transaction(async (tx) => {
    const [moved] = await tx
      .update(experiments)
      .set({ state: to, ...set })
      .where(and(eq(experiments.id, id), eq(experiments.state, from)))
      .returning();
    if (!moved) return { ok: false, message: from === "draft" ? "Only a draft can be started (this one has been started already)." : "Only a running experiment can be stopped." };
    await announceChange(tx, "experiments");
    await recordAudit(tx, { actor, action, targetType: "experiment", targetId: id, before: { state: from }, after: { state: to } });
    return { ok: true, id };
  });
}

/**
 * Makes a variant's settings the site's default in one step: its limits, lead-in, paywall copy
 * and featured offer go to the settings, its plan order to the plans' order, and the experiment
 * stops (if it ran). Once per experiment; the settings before and after are in the audit log.
 */
export async function applyWinner(db: Db, actor: AdminActor, id: number, variantId: number): Promise<ExperimentChange> {
  return db.transaction(async (tx) => {
    const [experiment] = await tx.select().from(experiments).where(eq(experiments.id, id)).for("update");
    if (!experiment) return { ok: false, message: "This experiment no longer exists." };
    if (experiment.state === "draft") return { ok: false, message: "Start the experiment first: a draft has no results." };
    if (experiment.appliedVariantId !== null) return { ok: false, message: "A winner was already applied for this experiment." };
    const [variant] = await tx.select().from(experimentVariants).where(and(eq(experimentVariants.id, variantId), eq(experimentVariants.experimentId, id)));
    if (!variant) return { ok: false, message: "That variant is not part of this experiment." };
    const before = await loadStoredSettings(tx, { forUpdate: true });
    const [beforeRow] = await tx.select({ defaultPlanId: siteSettings.defaultPlanId }).from(siteSettings).where(eq(siteSettings.id, 1));
    const changes = {
      ...(variant.anonymousLimit !== null && { meterAnonymousLimit: variant.anonymousLimit }),
      ...(variant.registeredLimit !== null && { meterRegisteredLimit: variant.registeredLimit }),
      ...(variant.leadInBlocks !== null && { defaultLeadInBlocks: variant.leadInBlocks }),
      ...(variant.paywallHeading !== null && { paywallHeading: variant.paywallHeading }),
      ...(variant.paywallBody !== null && { paywallBody: variant.paywallBody }),
      ...(variant.paywallButton !== null && { paywallButton: variant.paywallButton }),
      ...((variant.noOffer || variant.featuredOfferId !== null) && { featuredOfferId: variant.noOffer ? null : variant.featuredOfferId }),
      ...(variant.defaultPlanId !== null && { defaultPlanId: variant.defaultPlanId }),
    };
    if (Object.keys(changes).length > 0) {
      await tx
        .insert(siteSettings)
        .values({ id: 1, ...changes })
        .onConflictDoUpdate({ target: siteSettings.id, set: { ...changes, updatedAt: sql`now()` } });
      await announceChange(tx, "settings");
    }
    if (variant.planOrder && variant.planOrder.length > 0) {
      // The listed plans first, in order; the others keep their order after them.
      const all = await tx.select({ id: plans.id, sortOrder: plans.sortOrder }).from(plans).orderBy(plans.sortOrder, plans.id);
      const rank = new Map(variant.planOrder.map((pid, i) => [pid, i]));
      const ordered = [...all].sort((a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity) || a.sortOrder - b.sortOrder || a.id - b.id);
      for (const [i, p] of ordered.entries()) if (p.sortOrder !== i) await tx.update(plans).set({ sortOrder: i }).where(eq(plans.id, p.id));
      await announceChange(tx, "plans");
    }
    await tx
      .update(experiments)
      .set({ appliedVariantId: variant.id, state: "stopped", stoppedAt: experiment.stoppedAt ?? new Date() })
      .where(eq(experiments.id, id));
    await announceChange(tx, "experiments");
    await recordAudit(tx, {
      actor,
      action: "experiment.apply_winner",
      targetType: "experiment",
      targetId: id,
      before: { settings: { ...before, ...beforeRow }, state: experiment.state },
      after: { variant: variant.name, settings: changes, planOrder: variant.planOrder, state: "stopped" },
    });
    return { ok: true, id };
  });
}
