import { z } from "zod";
import { inviteTokenSchema } from "./invite-token";

const id = z.coerce.number<string>().int().positive().max(2_147_483_647);
const MAX_INVITES = 1_000;

export const organisationRefSchema = z.object({ organisationId: id });
export const memberRefSchema = z.object({ organisationId: id, userId: z.string().min(1).max(100) });
export const inviteRefSchema = z.object({ organisationId: id, inviteId: id });
export const acceptInviteSchema = z.object({ token: inviteTokenSchema });

/** A month as /org's picker sends it (YYYY-MM), as the read counts key it (YYYY-MM-01); this month when absent or malformed. */
export function monthParam(value: unknown, now: Date): string {
  const parsed = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).safeParse(value);
  return `${parsed.success ? parsed.data : now.toISOString().slice(0, 7)}-01`;
}

/**
 * The addresses a manager invites, one per line (or a CSV's first column, a header line
 * allowed): every bad line is listed with its number, and then nothing is sent.
 */
export const inviteListSchema = z.object({
  organisationId: id,
  // `preview` says what sending would do and writes nothing; `send` invites.
  step: z.enum(["preview", "send"]).default("send"),
  emails: z
    .string({ error: "Enter at least one address" })
    .max(200_000, "That list is too long")
    .transform((text, ctx) => {
      const lines = text.split(/\r?\n/).map((line, i) => ({ n: i + 1, value: (line.split(",")[0] ?? "").trim().replace(/^"|"$/g, "").toLowerCase() }));
      const rows = lines.filter((l) => l.value !== "" && !(l.n === 1 && l.value === "email"));
      if (rows.length === 0) ctx.addIssue({ code: "custom", message: "Enter at least one address" });
      if (rows.length > MAX_INVITES) ctx.addIssue({ code: "custom", message: `At most ${MAX_INVITES.toLocaleString("en-US")} addresses at a time (this list has ${rows.length.toLocaleString("en-US")})` });
      const bad = rows.filter((r) => !z.email().max(254).safeParse(r.value).success);
      if (bad.length > 0) {
        const shown = bad.slice(0, 20).map((r) => `line ${r.n} (“${r.value.slice(0, 60)}”)`).join(", ");
        ctx.addIssue({ code: "custom", message: `Not email addresses: ${shown}${bad.length > 20 ? ` and ${bad.length - 20} more` : ""}. Nothing was sent.` });
      }
      return [...new Set(rows.map((r) => r.value))];
    }),
});
