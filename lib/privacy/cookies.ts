import "server-only";
/**
 * Every cookie this site sets, for the privacy page. Names come from the constants the code sets
 * them with, so a renamed cookie is renamed here; tests/unit/privacy/cookies.test.ts fails when
 * the code sets a cookie this list does not name. All are first-party; none is shared with a
 * third party, and none follows a reader to other sites.
 */
import { METER_COOKIE } from "@/lib/access/meter";
import { VISIT_COOKIE } from "@/lib/access/visit";
import { ATTRIBUTION_COOKIE } from "@/lib/analytics/attribution-cookie";
import { CONFIRM_NONCE_COOKIE } from "@/lib/auth/confirm-page-guard";
import { CHECKOUT_NONCE_COOKIE } from "@/lib/billing/checkout";
import { CHECKOUT_BROWSER_COOKIE } from "@/lib/billing/checkout-limit";
import { RECEIPT_COOKIE } from "@/lib/billing/receipt";
import { READER_ID_COOKIE } from "@/lib/experiments/reader-key";
import { GIFT_COOKIE } from "@/lib/gifts/gift-cookie";
import { SESSION_COOKIE_NAMES } from "@/lib/http/cookies";
import { READER_HINT_COOKIE } from "@/lib/ui/site-chrome";

export type CookieKind = "strictly necessary" | "functional" | "measurement (first-party)";

export interface SiteCookie {
  /** The names it is set under (Auth.js adds a `__Secure-` or `__Host-` prefix on https). */
  names: readonly string[];
  kind: CookieKind;
  purpose: string;
  lifetime: string;
}

export const SITE_COOKIES: readonly SiteCookie[] = [
  {
    names: SESSION_COOKIE_NAMES,
    kind: "strictly necessary",
    purpose: "Keeps you signed in: a random token for your session, which we look up on the server. Deleted when you sign out or delete your account.",
    lifetime: "30 days, or until you sign out",
  },
  {
    names: ["authjs.csrf-token", "__Host-authjs.csrf-token", "authjs.callback-url", "__Secure-authjs.callback-url"],
    kind: "strictly necessary",
    purpose: "Set by the sign-in (Auth.js): a token that proves a sign-in form was sent from this site, and the page to return to after signing in.",
    lifetime: "until you close the browser",
  },
  {
    names: ["authjs.pkce.code_verifier", "__Secure-authjs.pkce.code_verifier", "authjs.state", "__Secure-authjs.state", "authjs.nonce", "__Secure-authjs.nonce"],
    kind: "strictly necessary",
    purpose: "Only when you sign in with GitHub or Google: one-time values that tie the provider's answer to your browser.",
    lifetime: "15 minutes",
  },
  {
    names: [CONFIRM_NONCE_COOKIE],
    kind: "strictly necessary",
    purpose: "Ties the sign-in link's confirmation page to the browser that opened it, so a link cannot be used from another page.",
    lifetime: "until you close the browser",
  },
  {
    names: [METER_COOKIE],
    kind: "strictly necessary",
    purpose:
      "The free-article meter when you are not signed in: how many articles you have opened this month, signed by us so it cannot be changed. Needed to give you the free articles you asked for.",
    lifetime: "the meter's window (30 days)",
  },
  {
    names: [VISIT_COOKIE],
    kind: "strictly necessary",
    purpose:
      "Only while the publisher tries different paywalls: the most generous free-article limits you were shown in this visit, signed by us, so a later page never gives you less than an earlier one did.",
    lifetime: "30 minutes after your last article",
  },
  {
    names: [GIFT_COOKIE],
    kind: "strictly necessary",
    purpose: "Only after you open a gift link: lets you keep reading the gifted article. Set for that article's address alone.",
    lifetime: "30 days",
  },
  {
    names: [CHECKOUT_NONCE_COOKIE],
    kind: "strictly necessary",
    purpose: "Only while you subscribe: ties the payment page to your browser, so only you are signed in when you come back.",
    lifetime: "1 day",
  },
  {
    names: [CHECKOUT_BROWSER_COOKIE],
    kind: "strictly necessary",
    purpose: "Only once you start a checkout: a random browser id that limits how many checkouts one browser may start (fraud protection).",
    lifetime: "1 year",
  },
  {
    names: [RECEIPT_COOKIE],
    kind: "functional",
    purpose: "Shows the receipt of the checkout you just paid for, once, on the next page.",
    lifetime: "10 minutes",
  },
  {
    names: [READER_HINT_COOKIE],
    kind: "functional",
    purpose: "Remembers that you subscribe, so the page header does not offer you a subscription. Only a hint: what you may read is decided on the server every time.",
    lifetime: "30 days",
  },
  {
    names: [READER_ID_COOKIE],
    kind: "measurement (first-party)",
    purpose:
      "A random reader id, signed by us, so you see the same version of the paywall on every visit while the publisher compares versions (and keep it when you sign in). It holds nothing about you and is never sent to anyone else.",
    lifetime: "400 days",
  },
  {
    names: [ATTRIBUTION_COOKIE],
    kind: "measurement (first-party)",
    purpose:
      "Which of our articles, and which kind of site (search, social, newsletter…), brought you, so the publisher can count which articles lead to sign-ups and subscriptions. No address, no profile, never shared.",
    lifetime: "30 days",
  },
];

/** Every cookie name on the list. */
export const siteCookieNames = (): string[] => SITE_COOKIES.flatMap((c) => [...c.names]);
