import { z } from "zod";

/** An optional text field: trimmed, blank (or missing) is null. */
export const optionalText = z
  .string()
  .optional()
  .transform((v) => v?.trim() || null);

/** An optional whole number within bounds: blank (or missing) is null, meaning "the default". */
export function optionalWholeNumber(min: number, max: number, what: string) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = v?.trim() ?? "";
      if (s === "") return null;
      if (!/^-?\d{1,9}$/.test(s)) {
        ctx.addIssue({ code: "custom", message: `Enter a whole number of ${what}, or leave it blank` });
        return z.NEVER;
      }
      const n = Number(s);
      if (n < min || n > max) {
        ctx.addIssue({ code: "custom", message: n < min ? `At least ${min}` : `At most ${max}` });
        return z.NEVER;
      }
      return n;
    });
}
