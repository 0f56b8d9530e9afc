import "server-only";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { safeCallbackPath } from "@/lib/auth/callback-path";
import { plansWithTrialUsed } from "@/lib/billing/eligibility";
import { hasLiveSubscription } from "@/lib/billing/live-subscription";
import { listActivePlans, localeFrom } from "@/lib/billing/plans";
import { html } from "@/lib/ui/html";
import { planOffers } from "../paywall-card";
import { readerOf, readerPageResponse } from "./reader-page";

const ERRORS: Record<string, string> = {
  plan: "That plan is no longer available. Please choose another.",
  unavailable: "Checkout is not available just now. Please try again in a minute.",
};

const alreadySubscribed = html`<section class="page">
  <h1>You already subscribe</h1>
  <p role="status" data-testid="already-subscribed">Your account has a subscription, so there is nothing more to buy. <a href="/account">See your subscription</a>.</p>
</section>`;

/** /subscribe: the plans, each one click from Checkout; nothing to buy for a reader who subscribes. */
export async function subscribePageResponse(request: NextRequest): Promise<Response> {
  const query = request.nextUrl.searchParams;
  const returnPath = safeCallbackPath(query.get("return") ?? undefined);
  const error = ERRORS[query.get("error") ?? ""];
  const user = await readerOf(request);
  const db = await getDb();
  if (user && (await hasLiveSubscription(db, user.id))) {
    return readerPageResponse(request, { title: "Subscribe", receipt: true, user, main: alreadySubscribed });
  }
  const plans = await listActivePlans();
  const locale = localeFrom(request.headers.get("accept-language"));
  const trialUsedOn = user ? await plansWithTrialUsed(db, user.id, plans.map((plan) => plan.id)) : [];
  return readerPageResponse(request, {
    title: "Subscribe",
    receipt: true,
    user,
    main: html`<section class="page page--wide">
  <h1>Subscribe for unlimited access</h1>
  <p>Every story, on every device. Cancel any time from your account.</p>
  ${error ? html`<p class="form-message form-message--error" role="alert">${error}</p>` : ""}
  ${
    plans.length === 0
      ? html`<p>No plans are on sale right now.</p>`
      : // The plan cards' names are third-level headings (they sit under the paywall's heading on an article).
        html`<h2 class="visually-hidden">Plans</h2>
  ${planOffers(plans, locale, returnPath, new Date().toISOString().slice(0, 10), trialUsedOn)}`
  }
  <p>Already a subscriber? <a href="/signin?callbackUrl=${encodeURIComponent(returnPath)}">Sign in</a></p>
</section>`,
  });
}
