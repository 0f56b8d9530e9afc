import { currenciesDiffer, formatPlanPrice, planRenewalLine, type PlanOffer } from "@/lib/billing/plans";
import type { FeaturedOffer } from "@/lib/offers/featured-offer";
import { html, type SafeHtml } from "@/lib/ui/html";

export interface PaywallCardInput {
  articlePath: string;
  reason: "subscribers-only" | "meter-exhausted" | "other";
  heading: string;
  body: string;
  plans: PlanOffer[];
  locale: string;
  remaining: number;
  limit: number;
  /** The meter's window (the publisher's setting), for the wording. */
  windowDays: number;
  /** More articles a free account would unlock (the registration wall), or 0. */
  registerFor: number;
  signedIn: boolean;
  /** The signed-in reader has a live subscription (one that cannot be read just now): nothing is sold to them. */
  subscribed: boolean;
  /** The offer the publisher features on the card, when it can be taken now. */
  offer: FeaturedOffer | null;
  /** The reader's own subscription is paused (until then, on our clock): the card says so instead of selling one. */
  paused: { until: Date | null } | null;
  /** The reader held a place in a family subscription that no longer reads: the card says so above the plans. */
  familyEnded?: boolean;
  /** Today (YYYY-MM-DD, UTC): a trial's first charge is dated from it. */
  today: string;
  /** Plans whose trial the signed-in reader's account has had: their cards show the plain price line. */
  trialUsedOn: readonly number[];
  /** The plan buttons' verb ("Choose") and the plan put first and marked, from the settings or an experiment's variant. */
  button?: string;
  defaultPlanId?: number | null;
}

const pauseDay = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

export function paywallCard(input: PaywallCardInput): SafeHtml {
  const back = encodeURIComponent(input.articlePath);
  const status =
    input.reason === "subscribers-only"
      ? "This story is for subscribers."
      : input.reason === "meter-exhausted"
        ? `You have read your ${input.limit} free ${input.limit === 1 ? "article" : "articles"} ${windowPhrase(input.windowDays)}.`
        : "Keep reading with a subscription.";
  return html`<aside class="paywall" data-paywall aria-labelledby="paywall-heading">
  <p class="paywall__status">${status}</p>
  <h2 id="paywall-heading" class="paywall__heading">${input.heading}</h2>
  <p class="paywall__body">${input.body}</p>
  ${input.familyEnded ? familyEndedNote() : ""}
  ${
    input.paused
      ? pausedNote(input.paused.until)
      : input.subscribed
        ? alreadySubscribed()
      : html`${input.offer ? featuredOffer(input.offer, input.articlePath) : ""}
  ${
    input.plans.length > 0
      ? planOffers(input.plans, input.locale, input.articlePath, input.today, input.trialUsedOn, { button: input.button, defaultPlanId: input.defaultPlanId })
      : html`<p><a class="button" href="/subscribe?return=${back}">See subscription options</a></p>`
  }`
  }
  ${
    input.registerFor > 0
      ? html`<p class="paywall__register"><a class="button button--secondary" href="/signin?callbackUrl=${back}&amp;intent=register">Register for free to read ${input.registerFor} more ${input.registerFor === 1 ? "article" : "articles"}</a></p>`
      : ""
  }
  ${input.signedIn ? "" : html`<p class="paywall__signin">Already a subscriber? <a href="/signin?callbackUrl=${back}">Sign in</a></p>`}
  <p class="paywall__meter" data-meter-remaining="${input.remaining}">${meterLine(input.remaining, input.windowDays)}</p>
  <p class="paywall__why"><a href="/why?article=${encodeURIComponent(input.articlePath.replace(/^\/articles\//, ""))}">Why am I seeing this?</a></p>
</aside>`;
}

/** For a reader whose subscription exists but does not open this article now (a failed payment, say): never a second one. */
export function alreadySubscribed(): SafeHtml {
  return html`<p class="paywall__subscribed" data-testid="already-subscribed">You already subscribe, so there is nothing more to buy. <a href="/account">See your subscription</a> to find out why this story is locked.</p>`;
}

/** A family member whose place no longer reads (the payer's subscription ended, or they were removed is told by /account/family): the plans follow. */
function familyEndedNote(): SafeHtml {
  return html`<p class="paywall__family" data-testid="family-ended">Your family subscription ended. <a href="/account/family">See your family subscription</a>, or choose a plan of your own below.</p>`;
}

/** A paused subscriber's way back: the date the pause ends and Resume now (on the account page, a POST there). */
function pausedNote(until: Date | null): SafeHtml {
  return html`<p class="paywall__paused" data-paused>Your subscription is paused${until ? html` until ${pauseDay.format(until)}` : ""}. <a class="button" href="/account">Resume now</a></p>`;
}

/** The featured offer: its terms per plan, each one click from Checkout with the offer, back to this article after. */
function featuredOffer(offer: FeaturedOffer, articlePath: string): SafeHtml {
  return html`<section class="paywall__offer" data-offer="${offer.code}" aria-label="Offer: ${offer.name}">
    <h3 class="paywall__offer-name">${offer.name}</h3>
    <ul class="plans" role="list">
      ${offer.plans.map(
        (plan) => html`<li class="plan">
        <p class="plan__price">${plan.headline}</p>
        <p class="plan__renewal">${plan.renewal}</p>
        <form method="post" action="/subscribe/checkout" class="plan__cta">
          <input type="hidden" name="plan" value="${plan.id}">
          <input type="hidden" name="offer" value="${offer.code}">
          <input type="hidden" name="return" value="${articlePath}">
          <button class="button" type="submit">Take the offer: ${plan.name}</button>
        </form>
      </li>`,
      )}
    </ul>
    ${offer.newCustomersOnly ? html`<p class="paywall__offer-note">For new subscribers.</p>` : ""}
  </section>`;
}

export function meterLine(remaining: number, windowDays: number): string {
  return `${remaining} free ${remaining === 1 ? "article" : "articles"} left ${windowPhrase(windowDays)}.`;
}

const NAMED_WINDOWS: Record<number, string> = { 1: "today", 7: "this week", 30: "this month", 365: "this year" };

/** The meter's window in words: a named one where the setting matches, else its length. */
export function windowPhrase(windowDays: number): string {
  return NAMED_WINDOWS[windowDays] ?? `in this ${windowDays}-day period`;
}

/**
 * The plans as cards, each with a form that starts Checkout directly (one click from the
 * paywall to Stripe), and one renewal line under each price. Shared by the paywall card,
 * /subscribe and the offer pages. A plan in `trialUsedOn` (its trial already had by this account)
 * is sold without one (checkout drops it too), so its card promises no free days.
 */
export function planOffers(
  plans: PlanOffer[],
  locale: string,
  returnPath: string,
  today: string,
  trialUsedOn: readonly number[] = [],
  { button = "Choose", defaultPlanId = null }: { button?: string; defaultPlanId?: number | null } = {},
): SafeHtml {
  const withCode = currenciesDiffer(plans);
  return html`<ul class="plans" role="list">
    ${plans.map(
      (offered) => {
        const plan = trialUsedOn.includes(offered.id) ? { ...offered, trialDays: 0 } : offered;
        const marked = plan.id === defaultPlanId;
        return html`<li class="${marked ? "plan plan--default" : "plan"}">
      ${marked ? html`<p class="plan__badge">Recommended</p>` : ""}
      <h3 class="plan__name">${plan.name}</h3>
      <p class="plan__price">${formatPlanPrice(plan, locale, withCode)}</p>
      <p class="plan__renewal">${planRenewalLine(plan, locale, today, withCode)}</p>
      ${plan.description ? html`<p class="plan__description">${plan.description}</p>` : ""}
      ${plan.features.length > 0 ? html`<ul class="plan__features">${plan.features.map((f) => html`<li>${f}</li>`)}</ul>` : ""}
      <form method="post" action="/subscribe/checkout" class="plan__cta">
        <input type="hidden" name="plan" value="${plan.id}">
        <input type="hidden" name="return" value="${returnPath}">
        <button class="button" type="submit">${button} ${plan.name}</button>
      </form>
    </li>`;
      },
    )}
  </ul>`;
}

// Cards by plan list: a reload of the plans (a new array) starts afresh, so a price change shows at once.
const cards = new WeakMap<PlanOffer[], Map<string, string>>();

/** The card's markup, rendered once per distinct input while the plan list stays the same. */
export function cachedPaywallCard(input: PaywallCardInput): string {
  const { plans, ...rest } = input;
  const key = JSON.stringify(rest);
  let byInput = cards.get(plans);
  if (!byInput) cards.set(plans, (byInput = new Map()));
  let markup = byInput.get(key);
  if (markup === undefined) {
    markup = paywallCard(input).value;
    if (byInput.size >= 2_000) byInput.clear();
    byInput.set(key, markup);
  }
  return markup;
}
