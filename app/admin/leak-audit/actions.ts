"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { adminAction } from "@/lib/admin/admin-action";
import { startAuditRun } from "@/lib/leak-audit/admin-run";

/** Starts the leak audit against this site in the background (admins only: adminAction checks first). */
export const runLeakAuditAction = adminAction(z.object({}), async () => {
  const { started, message } = await startAuditRun(await getDb());
  return started ? { ok: true as const, message } : { ok: false as const, fieldErrors: {}, message };
});
