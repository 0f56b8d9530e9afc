import "server-only";
import type { z } from "zod";
import { requireAdmin } from "@/lib/auth/current-user";
import type { SessionUser } from "@/lib/auth/session-user";
import { fieldErrorsFrom, formDataToObject, formValues, type FieldErrors } from "./form-data";

/** What a rejected form gets back: one message per field, and what was typed, to show it again. */
export interface InvalidInput {
  ok: false;
  fieldErrors: FieldErrors;
  message?: string;
  values?: Record<string, string>;
}

/** What a form that was refused for its fields says above them. */
export const NOTHING_SAVED = "Nothing was saved: please correct the fields marked below.";

/** Nothing was done, for a reason that concerns no single field. */
export function refused(message: string): InvalidInput {
  return { ok: false, fieldErrors: {}, message };
}

/** Nothing was done because of one field (marked with its own message), or of none when `field` is undefined. */
export function refusedField(field: string | undefined, fieldMessage: string, message = NOTHING_SAVED): InvalidInput {
  return { ok: false, fieldErrors: field ? { [field]: fieldMessage } : {}, message };
}

/** The usual result of an admin action: a confirmation, or why nothing was saved. */
export type ActionResult<T = undefined> = { ok: true; message?: string; data?: T } | InvalidInput;

/** Admin, as the action body sees them: nothing but what an audit entry needs. */
export type AdminActor = Pick<SessionUser, "id" | "email">;

/**
 * The one way to write an admin server action, usable with useActionState:
 * `export const save = adminAction(schema, async (input, admin) => …)`.
 * The caller is checked FIRST (anyone not an admin gets Next's 404, before the input is even
 * read), then the form is parsed with the schema; bad input returns field errors and the body
 * never runs, so nothing is written.
 */
export function adminAction<S extends z.ZodType, R>(
  schema: S,
  body: (input: z.output<S>, admin: AdminActor) => Promise<R>,
): (previous: unknown, formData: FormData) => Promise<R | InvalidInput> {
  return async (_previous, formData) => {
    const admin = await requireAdmin();
    const raw = formData instanceof FormData ? formDataToObject(formData) : {};
    const parsed = await schema.safeParseAsync(raw);
    if (!parsed.success) {
      const { fieldErrors, message } = fieldErrorsFrom(parsed.error);
      return {
        ok: false,
        fieldErrors,
        message: message ?? NOTHING_SAVED,
        values: formValues(raw),
      };
    }
    return body(parsed.data, { id: admin.id, email: admin.email });
  };
}
