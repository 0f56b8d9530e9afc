"use server";

import { refresh } from "next/cache";
import { getDb } from "@/db/client";
import { applyWinner, createExperiment, startExperiment, stopExperiment, updateExperiment, type ExperimentChange } from "@/lib/admin/experiments/commands";
import { applyWinnerSchema, createExperimentSchema, experimentIdSchema, updateExperimentSchema } from "@/lib/admin/experiments/form";
import { adminAction, refused, refusedField, type ActionResult } from "@/lib/admin/shared/action";

function answer(change: ExperimentChange, done: string): ActionResult {
  if (!change.ok) return change.field ? refusedField(change.field, change.message) : refused(change.message);
  refresh();
  return { ok: true, message: done };
}

export const createExperimentAction = adminAction(createExperimentSchema, async (input, admin) =>
  answer(await createExperiment(await getDb(), admin, input), "Experiment created as a draft: start it when ready."),
);

export const updateExperimentAction = adminAction(updateExperimentSchema, async ({ id, ...input }, admin) => answer(await updateExperiment(await getDb(), admin, id, input), "Draft saved."));

export const startExperimentAction = adminAction(experimentIdSchema, async ({ id }, admin) => answer(await startExperiment(await getDb(), admin, id), "Started."));

export const stopExperimentAction = adminAction(experimentIdSchema, async ({ id }, admin) => answer(await stopExperiment(await getDb(), admin, id), "Stopped."));

export const applyWinnerAction = adminAction(applyWinnerSchema, async ({ id, variantId }, admin) =>
  answer(await applyWinner(await getDb(), admin, id, variantId), "Applied as the site's default; the experiment is stopped."),
);
