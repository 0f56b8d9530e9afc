import "server-only";
import { getDb } from "@/db/client";
import type { Touch } from "@/lib/analytics/touch";
import { env } from "@/lib/env";
import { hitRateLimits, rateLimitKey } from "@/lib/http/rate-limit";
import { sendMail } from "@/lib/mail/transport";
import { getPublicNewsletters } from "./catalog";
import type { SignupForm } from "./fields";
import { confirmationEmail } from "./mail/confirmation-email";
import { isBlockedAddress, loadNewsletterSettings } from "./settings";
import { CONFIRM_HOURS, confirmationToken, newsletterLinks } from "./signed-links";

const HOUR = 3_600_000;
export const SIGNUP_LIMIT_PER_EMAIL = 3;
export const SIGNUP_LIMIT_PER_CLIENT = 20;

/**
 * What a sign-up did. Only `no-newsletter` is the reader's own mistake and is shown as one;
 * `sent` and every refusal (honeypot, blocked domain, rate limit) look alike to the client, so
 * nothing about an address or our defences can be learnt from the answer.
 */
export type SignupOutcome = "sent" | "ignored" | "no-newsletter";

/** Mails a 24-hour confirmation link for the chosen public newsletters; subscribes nobody yet. */
export async function requestSignup(form: SignupForm, clientAddress: string | null, touch: Touch | null = null): Promise<SignupOutcome> {
  const offered = await getPublicNewsletters();
  const chosen = offered.filter((n) => form.newsletters.includes(n.id));
  if (chosen.length === 0) return "no-newsletter";
  // A bot fills every field it sees; people never see this one.
  if (form.website.trim() !== "") return "ignored";
  const db = await getDb();
  if (isBlockedAddress(form.email, (await loadNewsletterSettings(db)).blockedDomains)) return "ignored";
  const checks = [{ key: rateLimitKey("newsletter-email", form.email), limit: SIGNUP_LIMIT_PER_EMAIL }];
  if (clientAddress) checks.push({ key: rateLimitKey("newsletter-client", clientAddress), limit: SIGNUP_LIMIT_PER_CLIENT });
  if (!(await hitRateLimits(db, checks, HOUR)).allowed) return "ignored";

  const ids = chosen.map((n) => n.id);
  await sendMail(
    confirmationEmail({
      to: form.email,
      url: newsletterLinks.confirm(confirmationToken(form.email, ids, new Date(), touch)),
      siteName: env().SITE_NAME,
      newsletterNames: chosen.map((n) => n.name),
      hours: CONFIRM_HOURS,
    }),
  );
  return "sent";
}
