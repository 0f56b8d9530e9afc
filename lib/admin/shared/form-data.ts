import type { z } from "zod";

export type FieldErrors = Record<string, string>;

/** A form as a plain object for a zod schema: repeated names become arrays, Next's $ACTION_ keys are dropped. */
export function formDataToObject(formData: FormData): Record<string, FormDataEntryValue | FormDataEntryValue[]> {
  const out: Record<string, FormDataEntryValue | FormDataEntryValue[]> = {};
  for (const key of new Set(formData.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const all = formData.getAll(key);
    out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

/** The text a form carried (files left out, long values cut), to fill the form again after an error. */
export function formValues(raw: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === "string") values[key] = value.slice(0, 200_000);
  }
  return values;
}

/** The first message for each field (by the first segment of its path); messages without a field apart. */
export function fieldErrorsFrom(error: z.ZodError): { fieldErrors: FieldErrors; message?: string } {
  const fieldErrors: FieldErrors = {};
  let message: string | undefined;
  for (const issue of error.issues) {
    const [field] = issue.path;
    if (field === undefined) message ??= issue.message;
    else fieldErrors[String(field)] ??= issue.message;
  }
  return { fieldErrors, message };
}
