"use server";

import { refresh } from "next/cache";
import { getDb } from "@/db/client";
import { adminAction, refused, type ActionResult } from "@/lib/admin/shared/action";
import { grantAccess, revokeGrant } from "@/lib/admin/subscribers/commands";
import { grantFormSchema, revokeGrantSchema } from "@/lib/admin/subscribers/form";

/** Grants a reader complimentary access from now, until the last day given (or until revoked). */
export const grantAccessAction = adminAction(grantFormSchema, async (form, admin): Promise<ActionResult> => {
  const outcome = await grantAccess(await getDb(), admin, form);
  if (!outcome.ok) return refused(outcome.message);
  refresh();
  return { ok: true, message: "Access granted. It applies from the reader’s next page view." };
});

/** Ends a grant now. */
export const revokeGrantAction = adminAction(revokeGrantSchema, async ({ grantId }, admin): Promise<ActionResult> => {
  const outcome = await revokeGrant(await getDb(), admin, grantId);
  if (!outcome.ok) return refused(outcome.message);
  refresh();
  return { ok: true, message: outcome.changed ? "Grant revoked." : "This grant was already revoked." };
});
