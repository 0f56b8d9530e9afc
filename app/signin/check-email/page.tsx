import type { Metadata } from "next";
import { safeCallbackPath } from "@/lib/auth/callback-path";

export const metadata: Metadata = { title: "Check your email" };

// The same answer whether or not the address has an account.
export default async function CheckEmailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const callbackUrl = safeCallbackPath((await searchParams).callbackUrl);
  return (
    <section className="page page--narrow">
      <h1>Check your email</h1>
      <p>We have sent a sign-in link to the address you gave. It works once and expires in an hour.</p>
      <p>Nothing arrived after a few minutes? Look in your spam folder, or <a href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`}>ask for a new link</a>.</p>
    </section>
  );
}
