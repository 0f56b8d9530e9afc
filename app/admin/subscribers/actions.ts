"use server";

import { refresh } from "next/cache";
import { getDb } from "@/db/client";
import { adminAction, refused, refusedField, type ActionResult } from "@/lib/admin/shared/action";
import { grantAccess, revokeGrant } from "@/lib/admin/subscribers/commands";
import { deleteReaderByAdmin } from "@/lib/admin/subscribers/delete-reader";
import { deleteReaderSchema, grantFormSchema, revokeGrantSchema } from "@/lib/admin/subscribers/form";

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

/** Deletes a reader's account for a request received by mail (typed confirmation; audit-logged). */
export const deleteReaderAction = adminAction(deleteReaderSchema, async (form, admin): Promise<ActionResult> => {
  const outcome = await deleteReaderByAdmin(await getDb(), admin, form);
  if (!outcome.ok) return outcome.field ? refusedField(outcome.field, outcome.message, "Nothing was deleted.") : refused(outcome.message);
  refresh();
  if (!outcome.deleted) return { ok: true, message: "This account was deleted already; nothing more was changed." };
  return { ok: true, message: `Account deleted: ${outcome.ended} subscription(s) ended, personal data erased, signed out everywhere, confirmation mailed.` };
});
