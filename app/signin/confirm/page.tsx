import type { Metadata } from "next";
import { cookies } from "next/headers";
import { z } from "zod";
import { CONFIRM_NONCE_COOKIE, CONFIRM_NONCE_FIELD, EMAIL_CALLBACK } from "@/lib/auth/confirm-page-guard";
import { safeCallbackPath } from "@/lib/auth/callback-path";
import { emailLinkSchema } from "@/lib/auth/email-link";

export const metadata: Metadata = { title: "Confirm sign-in", robots: { index: false } };

const linkSchema = emailLinkSchema.extend({
  callbackUrl: z.unknown().transform((v) => safeCallbackPath(v)),
});

// Opening this page changes nothing (mail scanners open links); the button's POST signs in.
export default async function ConfirmSignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const link = linkSchema.safeParse(await searchParams);
  if (!link.success) {
    return (
      <section className="page page--narrow">
        <h1>This sign-in link is incomplete</h1>
        <p>Copy the whole address from the email, or <a href="/signin">ask for a new link</a>.</p>
      </section>
    );
  }
  const { token, email, callbackUrl } = link.data;
  const action = `${EMAIL_CALLBACK}?${new URLSearchParams({ token, email, callbackUrl })}`;
  // The proxy's nonce for this page, echoed for browsers that send no Origin (confirm-page-guard.ts).
  const nonce = (await cookies()).get(CONFIRM_NONCE_COOKIE)?.value ?? "";
  return (
    <section className="page page--narrow">
      <h1>Sign in</h1>
      <p>
        You are signing in as <strong>{email}</strong>.
      </p>
      <form method="post" action={action}>
        <input type="hidden" name={CONFIRM_NONCE_FIELD} value={nonce} />
        <button className="button" type="submit">
          Continue to sign in
        </button>
      </form>
    </section>
  );
}
