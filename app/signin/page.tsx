import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { enabledProviders } from "@/lib/auth/auth";
import { safeCallbackPath } from "@/lib/auth/callback-path";
import { getCurrentUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { getPublicNewsletters } from "@/lib/newsletters/catalog";
import { signInWithProvider } from "./actions";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const register = params.intent === "register";
  const providers = enabledProviders();
  const { METER_REGISTERED_LIMIT } = env();
  // Registering offers the newsletters new readers get by default (confirmed by their own email).
  const newsletters = register ? (await getPublicNewsletters()).filter((n) => n.subscribeOnSignup).map((n) => ({ id: n.id, name: n.name })) : [];
  return (
    <section className="page page--narrow">
      <h1>{register ? "Create your free account" : "Sign in"}</h1>
      {params.signedOut === "everywhere" && (
        <p className="form-message" role="status">
          You are signed out on every device.
        </p>
      )}
      <p>
        {register
          ? `Registered readers read ${METER_REGISTERED_LIMIT} articles a month for free, on every device. Enter your email and we will send you a link: no password needed.`
          : "Enter your email and we will send you a link to sign in: no password needed. New here? The same link creates your free account."}
      </p>
      {providers.email ? (
        <SignInForm callbackUrl={callbackUrl} newsletters={newsletters} submitLabel={register ? "Email me a link to register" : "Email me a sign-in link"} />
      ) : (
        <p className="form-message">Email sign-in is not configured on this site.</p>
      )}
      {(providers.github || providers.google) && (
        <div className="oauth">
          <p className="oauth__or">or continue with</p>
          {(["github", "google"] as const)
            .filter((p) => providers[p])
            .map((p) => (
              <form key={p} action={signInWithProvider}>
                <input type="hidden" name="provider" value={p} />
                <input type="hidden" name="callbackUrl" value={callbackUrl} />
                <button className="button button--secondary" type="submit">
                  {p === "github" ? "GitHub" : "Google"}
                </button>
              </form>
            ))}
        </div>
      )}
    </section>
  );
}
