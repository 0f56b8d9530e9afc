import { env } from "@/lib/env";
import { sendMail } from "@/lib/mail/transport";
import { signInEmail } from "@/lib/mail/templates/sign-in";
import { safeCallbackPath } from "./callback-path";

export const SIGN_IN_LINK_MINUTES = 60;

/**
 * Mails the magic link. The link opens our confirmation page (a GET that changes nothing),
 * whose button completes sign-in with a POST, so a mail scanner that follows links cannot
 * use it up. The link is built on SITE_URL, never on the request's Host header.
 */
export async function sendSignInLink(email: string, authJsUrl: string): Promise<void> {
  const given = new URL(authJsUrl);
  const { SITE_URL, SITE_NAME } = env();
  const confirm = new URL("/signin/confirm", SITE_URL);
  confirm.searchParams.set("token", given.searchParams.get("token") ?? "");
  confirm.searchParams.set("email", email);
  confirm.searchParams.set("callbackUrl", sitePath(given.searchParams.get("callbackUrl"), SITE_URL));
  await sendMail(signInEmail({ to: email, url: confirm.toString(), siteName: SITE_NAME, expiresInMinutes: SIGN_IN_LINK_MINUTES }));
}

/** Auth.js hands the callback back as an absolute URL on AUTH_URL; keep only a path on our own site. */
function sitePath(callbackUrl: string | null, siteUrl: string): string {
  try {
    const url = new URL(callbackUrl ?? "/", siteUrl);
    return url.origin === new URL(siteUrl).origin ? safeCallbackPath(`${url.pathname}${url.search}${url.hash}`) : "/";
  } catch {
    return "/";
  }
}
