import type { Metadata } from "next";
import { z } from "zod";
import { safeCallbackPath } from "@/lib/auth/callback-path";

export const metadata: Metadata = { title: "Confirm sign-in", robots: { index: false } };

const linkSchema = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
  email: z.email().max(254),
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
  const action = `/api/auth/callback/nodemailer?${new URLSearchParams({ token, email, callbackUrl })}`;
  return (
    <section className="page page--narrow">
      <h1>Sign in</h1>
      <p>
        You are signing in as <strong>{email}</strong>.
      </p>
      <form method="post" action={action}>
        <button className="button" type="submit">
          Continue to sign in
        </button>
      </form>
    </section>
  );
}
