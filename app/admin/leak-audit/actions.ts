"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { adminAction, refused, type ActionResult } from "@/lib/admin/shared/action";
import { startAuditRun } from "@/lib/leak-audit/admin-run";

// The button says so explicitly: a form without it (or any other post) starts nothing.
const runSchema = z.object({ run: z.literal("now", { error: "Use the button to run the audit." }) });

/** Starts the leak audit against this site in the background (admins only: adminAction checks first). */
export const runLeakAuditAction = adminAction(runSchema, async (): Promise<ActionResult> => {
  const { started, message } = await startAuditRun(await getDb());
  return started ? { ok: true, message } : refused(message);
});
