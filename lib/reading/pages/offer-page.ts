import "server-only";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { hasLiveSubscription } from "@/lib/billing/live-subscription";
import { listActivePlans, localeFrom } from "@/lib/billing/plans";
import { findPublicOffer, type OfferState } from "@/lib/offers/public-offer";
import { describeOffer } from "@/lib/offers/wording";
import { html } from "@/lib/ui/html";
import { planOffers } from "../paywall-card";
import { readerOf, readerPageResponse } from "./reader-page";

const UNAVAILABLE: Record<Exclude<OfferState, "ok">, string> = {
  unknown: "We could not find this offer. Check the link, or choose one of our plans below.",
  not_started: "This offer has not started yet. Our regular plans are below.",
  ended: "This offer has ended. Our regular plans are below.",
  exhausted: "This offer has been fully claimed. Our regular plans are below.",
};

const ERRORS: Record<string, string> = {
  new_customers_only: "This offer is for new subscribers only.",
  trial_used: "A free trial is given once per account, and yours has had one. Our regular plans are below.",
  already_taken: "This offer is taken once per account, and yours has had it. Our regular plans are below.",
  plan: "This offer does not apply to that plan.",
  ...UNAVAILABLE,
};

/** An offer's page. Public: its terms are public by design; who may take it is checked again at checkout. */
export async function offerPageResponse(request: NextRequest, code: string): Promise<Response> {
  const db = await getDb();
  const found = await findPublicOffer(db, code);
  const locale = localeFrom(request.headers.get("accept-language"));
  const error = ERRORS[request.nextUrl.searchParams.get("error") ?? ""];
  if (found.state !== "ok") {
    return readerPageResponse(request, {
      title: "Offer",
      noindex: true,
      main: html`<section class="page page--wide">
  <h1>Offer not available</h1>
  <p role="status">${UNAVAILABLE[found.state]}</p>
  <h2>Our plans</h2>
  ${planOffers(await listActivePlans(), locale, "/subscribe", new Date().toISOString().slice(0, 10))}
</section>`,
    });
  }
  const { offer } = found;
  const user = await readerOf(request);
  const subscribed = user ? await hasLiveSubscription(db, user.id) : false;
  const returnPath = `/offer/${offer.code}`;
  return readerPageResponse(request, {
    title: "Offer",
    noindex: true,
    receipt: true,
    user,
    main: html`<section class="page page--wide">
  <h1>${offer.name}</h1>
  ${error ? html`<p class="form-message form-message--error" role="alert">${error}</p>` : ""}
  ${
    subscribed
      ? html`<p role="status">You already subscribe, so there is nothing more to buy. <a href="/account">See your subscription</a>.</p>`
      : html`<ul class="plans" role="list">${found.plans.map((plan) => {
          const words = describeOffer(offer, plan);
          return html`<li class="plan">
    <h2 class="plan__name">${plan.name}</h2>
    <p class="plan__price">${words.headline}</p>
    <p class="plan__description">${words.renewal}</p>
    ${offer.newCustomersOnly ? html`<p class="plan__trial">For new subscribers.</p>` : ""}
    <form method="post" action="/subscribe/checkout" class="plan__cta">
      <input type="hidden" name="plan" value="${plan.id}">
      <input type="hidden" name="offer" value="${offer.code}">
      <input type="hidden" name="return" value="${returnPath}">
      <button class="button" type="submit">Subscribe to ${plan.name}</button>
    </form>
  </li>`;
        })}</ul>`
  }
</section>`,
  });
}
