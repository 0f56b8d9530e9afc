import type { Metadata } from "next";
import { headers } from "next/headers";
import { getDb } from "@/db/client";
import { getCurrentUser } from "@/lib/auth/current-user";
import { listActivePlans, localeFrom } from "@/lib/billing/plans";
import { hasLiveSubscription } from "@/lib/billing/live-subscription";
import { planOffers } from "@/lib/reading/paywall-card";
import { findPublicOffer, type OfferState } from "@/lib/offers/public-offer";
import { describeOffer } from "@/lib/offers/wording";
import { ReceiptNotice } from "@/app/receipt-notice";

export const metadata: Metadata = { title: "Offer", robots: { index: false } };

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

// Public: the offer's terms are public by design. Who may take it is checked again at checkout.
export default async function OfferPage({ params, searchParams }: { params: Promise<{ code: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { code } = await params;
  const query = await searchParams;
  const db = await getDb();
  const found = await findPublicOffer(db, code);
  const locale = localeFrom((await headers()).get("accept-language"));
  const error = typeof query.error === "string" ? ERRORS[query.error] : undefined;
  const alert = error && (
    <p className="form-message form-message--error" role="alert">
      {error}
    </p>
  );
  if (found.state !== "ok") {
    return (
      <section className="page page--wide">
        <h1>Offer not available</h1>
        <p role="status">{UNAVAILABLE[found.state]}</p>
        <h2>Our plans</h2>
        <div dangerouslySetInnerHTML={{ __html: planOffers(await listActivePlans(), locale, "/subscribe", new Date().toISOString().slice(0, 10)).value }} />
      </section>
    );
  }
  const user = await getCurrentUser();
  const subscribed = user ? await hasLiveSubscription(db, user.id) : false;
  const returnPath = `/offer/${found.offer.code}`;
  return (
    <section className="page page--wide">
      <ReceiptNotice />
      <h1>{found.offer.name}</h1>
      {alert}
      {subscribed ? (
        <p role="status">
          You already subscribe, so there is nothing more to buy. <a href="/account">See your subscription</a>.
        </p>
      ) : (
        <ul className="plans" role="list">
          {found.plans.map((plan) => {
            const words = describeOffer(found.offer, plan);
            return (
              <li className="plan" key={plan.id}>
                <h2 className="plan__name">{plan.name}</h2>
                <p className="plan__price">{words.headline}</p>
                <p className="plan__description">{words.renewal}</p>
                {found.offer.newCustomersOnly && <p className="plan__trial">For new subscribers.</p>}
                <form method="post" action="/subscribe/checkout" className="plan__cta">
                  <input type="hidden" name="plan" value={plan.id} />
                  <input type="hidden" name="offer" value={found.offer.code} />
                  <input type="hidden" name="return" value={returnPath} />
                  <button className="button" type="submit">
                    Subscribe to {plan.name}
                  </button>
                </form>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
