import { z } from "zod";

/**
 * The zod fields every newsletter boundary shares: the public sign-up form, the signed links,
 * the admin forms. Text that ends up in a mail header (names, subjects) may not carry line
 * breaks or control characters, so a header-injection attempt is a field error, never a header.
 */

export const emailAddress = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(254, "That address is too long: an email address has at most 254 characters.")
  .pipe(z.email("Enter a valid email address, like name@example.com."));

const CONTROL = /[\u0000-\u001f\u007f]/;

/** One line of text for a mail header: trimmed, bounded, no CR/LF or other control characters. */
export function headerText(label: string, max: number) {
  return z
    .string({ error: `Enter the ${label}.` })
    .trim()
    .min(1, `Enter the ${label}.`)
    .max(max, `The ${label} is too long (at most ${max} characters).`)
    .refine((v) => !CONTROL.test(v), `The ${label} may not contain line breaks or control characters.`);
}

/** A form checkbox: present ("on", "true", "1") or absent. */
export const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === "1", z.boolean());

const newsletterId = z.coerce.number().int().positive();

/** A repeated form field (one value or several) as a list of newsletter ids, duplicates dropped. */
export const newsletterIdList = z
  .preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(newsletterId).max(50))
  .transform((ids) => [...new Set(ids)]);

/** The public sign-up form: the honeypot (`website`) is read here and judged by the caller. */
export const signupFormSchema = z.object({
  email: emailAddress,
  newsletters: newsletterIdList,
  website: z.preprocess((v) => (typeof v === "string" ? v : ""), z.string()),
});
export type SignupForm = z.infer<typeof signupFormSchema>;
