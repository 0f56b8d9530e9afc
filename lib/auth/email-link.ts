import { z } from "zod";

/** What a sign-in link carries to the confirmation page and on to Auth.js's email callback. */
export const emailLinkSchema = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
  email: z.email().max(254),
});
