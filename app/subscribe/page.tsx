import type { Metadata } from "next";
import { headers } from "next/headers";
import { getDb } from "@/db/client";
import { safeCallbackPath } from "@/lib/auth/callback-path";
import { getCurrentUser } from "@/lib/auth/current-user";
import { hasLiveSubscription } from "@/lib/billing/live-subscription";
import { listActivePlans, localeFrom } from "@/lib/billing/plans";
import { planOffers } from "@/lib/reading/paywall-card";
import { ReceiptNotice } from "@/app/receipt-notice";

export const metadata: Metadata = { title: "Subscribe" };

const ERRORS: Record<string, string> = {
  plan: "That plan is no longer available. Please choose another.",
  unavailable: "Checkout is not available just now. Please try again in a minute.",
};

export default async function SubscribePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const returnPath = safeCallbackPath(params.return);
  const error = typeof params.error === "string" ? ERRORS[params.error] : undefined;
  const user = await getCurrentUser();
  if (user && (await hasLiveSubscription(await getDb(), user.id))) {
    return (
      <section className="page">
        <h1>You already subscribe</h1>
        <p role="status" data-testid="already-subscribed">
          Your account has a subscription, so there is nothing more to buy. <a href="/account">See your subscription</a>.
        </p>
      </section>
    );
  }
  const plans = await listActivePlans();
  const locale = localeFrom((await headers()).get("accept-language"));
  return (
    <section className="page page--wide">
      <ReceiptNotice />
      <h1>Subscribe for unlimited access</h1>
      <p>Every story, on every device. Cancel any time from your account.</p>
      {error && (
        <p className="form-message form-message--error" role="alert">
          {error}
        </p>
      )}
      {plans.length === 0 ? (
        <p>No plans are on sale right now.</p>
      ) : (
        <>
          {/* The plan cards' names are third-level headings (they sit under the paywall's heading on an article). */}
          <h2 className="visually-hidden">Plans</h2>
          <div dangerouslySetInnerHTML={{ __html: planOffers(plans, locale, returnPath, new Date().toISOString().slice(0, 10)).value }} />
        </>
      )}
      <p>
        Already a subscriber? <a href={`/signin?callbackUrl=${encodeURIComponent(returnPath)}`}>Sign in</a>
      </p>
    </section>
  );
}
