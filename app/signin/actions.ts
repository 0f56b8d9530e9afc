"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { signIn } from "@/lib/auth/auth";
import { safeCallbackPath } from "@/lib/auth/callback-path";
import { allowSignInRequest, signInFormSchema } from "@/lib/auth/sign-in-request";
import { clientAddress } from "@/lib/http/client-address";
import { newsletterIdList } from "@/lib/newsletters/fields";
import { requestSignup } from "@/lib/newsletters/signup";

export type SignInFormState = { email?: string; fieldError?: string; message?: string };

/** Public: anyone may ask for a link. Validated, rate limited, and silent about whether the account exists. */
export async function requestSignInLink(_previous: SignInFormState, submitted: FormData): Promise<SignInFormState> {
  // A server action is a public endpoint: its arguments are whatever was posted.
  const formData = submitted instanceof FormData ? submitted : new FormData();
  const parsed = signInFormSchema.safeParse({ email: formData.get("email") ?? "", callbackUrl: formData.get("callbackUrl") });
  const email = String(formData.get("email") ?? "").slice(0, 254);
  if (!parsed.success) return { email, fieldError: parsed.error.issues[0]?.message ?? "Enter a valid email address." };

  const limit = await allowSignInRequest(parsed.data.email, clientAddress(await headers()));
  if (!limit.allowed) {
    return {
      email,
      message: `Too many sign-in links were asked for. Please wait ${limit.retryAfterMinutes} ${limit.retryAfterMinutes === 1 ? "minute" : "minutes"} and try again.`,
    };
  }
  try {
    await signIn("nodemailer", { email: parsed.data.email, redirectTo: parsed.data.callbackUrl, redirect: false });
  } catch (error) {
    console.error("Sending a sign-in link failed:", error);
    return { email, message: "We could not send the email just now. Please try again in a minute." };
  }
  // "Get the newsletter" at registration: its own double opt-in email, so only the address's owner can say yes.
  const newsletters = newsletterIdList.safeParse(formData.getAll("newsletter"));
  if (newsletters.success && newsletters.data.length > 0) {
    await requestSignup({ email: parsed.data.email, newsletters: newsletters.data, website: "" }, clientAddress(await headers())).catch((error: unknown) =>
      console.error("Sending a newsletter confirmation failed:", error),
    );
  }
  redirect(`/signin/check-email?callbackUrl=${encodeURIComponent(parsed.data.callbackUrl)}`);
}

/** Public: starts an OAuth sign-in with a provider this deployment enables. */
export async function signInWithProvider(submitted: FormData): Promise<void> {
  const formData = submitted instanceof FormData ? submitted : new FormData();
  const provider = formData.get("provider");
  if (provider !== "github" && provider !== "google") redirect("/signin");
  await signIn(provider, { redirectTo: safeCallbackPath(formData.get("callbackUrl")) });
}
