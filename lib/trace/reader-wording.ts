import type { AccessReason } from "@/lib/access/decide-access";
import { meterFacts, type ExplainedDecision } from "./explanation";
import type { Lapse } from "./lapse";

export interface ReaderExplanation {
  /** One sentence: why this reader sees what they see. */
  summary: string;
  details: string[];
  actions: Array<{ href: string; label: string }>;
}

const day = (d: Date, now: Date) =>
  new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", ...(d.getUTCFullYear() === now.getUTCFullYear() ? {} : { year: "numeric" }), timeZone: "UTC" }).format(d);
const articles = (n: number) => `${n} free ${n === 1 ? "article" : "articles"}`;

/**
 * "Why am I seeing this?" in plain words, about this reader only: the rule that decided, their
 * meter with its dates, and what ended their access, with the one action that helps.
 * `registerFor`: how many more articles a free account reads (anonymous readers only).
 */
export function readerExplanation(d: ExplainedDecision, articlePath: string, registerFor: number): ReaderExplanation {
  const m = meterFacts(d);
  const back = encodeURIComponent(articlePath);
  const subscribe = { href: `/subscribe?return=${back}`, label: "See subscription options" };
  // A paused subscriber is offered the way back (Resume now), not a second subscription.
  const sell = d.lapse?.kind === "paused" ? [] : [subscribe];
  const renew = `Your free articles renew on ${day(m.renews, d.now)}.`;
  const usage = `You have read ${m.used} of your ${articles(m.limit)} since ${day(m.start, d.now)}.`;
  const wording: Record<AccessReason, () => ReaderExplanation> = {
    free: () => ({ summary: "This article is free: everyone can read it in full.", details: [], actions: [] }),
    "verified-crawler": () => ({ summary: "You are a search engine's crawler, verified by your address: you can read every article.", details: [], actions: [] }),
    entitled: () => ({
      summary: d.entitlement?.source === "grant" ? "You have complimentary access: you can read every article." : "Your subscription lets you read every article.",
      details: d.entitlement?.until ? [`Your access runs until ${day(d.entitlement.until, d.now)}.`] : [],
      actions: [],
    }),
    "gift-subscription": () => ({
      summary: "A gift subscription someone gave you lets you read every article.",
      details: d.entitlement?.until ? [`The gift runs until ${day(d.entitlement.until, d.now)}; it does not renew.`] : [],
      actions: [],
    }),
    family: () => ({
      summary: "Your place in a family subscription lets you read every article.",
      details: d.family?.until ? [`The family subscription runs until ${day(d.family.until, d.now)}.`] : [],
      actions: [{ href: "/account/family", label: "Your family subscription" }],
    }),
    licensed: () => ({
      summary: `${d.licence?.organisationName ?? "Your organisation"} gives you access: you can read every article${d.licence?.via === "address" ? " from its network" : ""}.`,
      details: d.licence ? [`Its licence runs until ${day(d.licence.termEnd, d.now)}. Reading through it uses none of your free articles.`] : [],
      actions: [],
    }),
    gift: () => ({ summary: "Someone gave you this article: you can read it in full, and it uses none of your free articles.", details: [], actions: [subscribe] }),
    counted: () => ({
      summary: "You can read this article: opening it uses one of your free articles.",
      details: [usage, renew],
      actions: [],
    }),
    "already-counted": () => ({
      summary: "You have already opened this article, so reading it again is free.",
      details: [usage, renew],
      actions: [],
    }),
    "meter-exhausted": () => ({
      summary: `You have read ${m.used} of your ${articles(m.limit)} since ${day(m.start, d.now)}; your free articles renew on ${day(m.renews, d.now)}.`,
      details: [...familyDetails(d), ...lapseDetails(d.lapse, d.now)],
      actions: [
        ...lapseActions(d.lapse),
        ...(d.readerKind === "anonymous" && registerFor > 0 ? [{ href: `/signin?callbackUrl=${back}&intent=register`, label: `Register for free to read ${registerFor} more` }] : []),
        ...sell,
      ],
    }),
    "subscribers-only": () => ({
      summary: "This story is for subscribers: free articles do not cover it.",
      details: [...familyDetails(d), ...lapseDetails(d.lapse, d.now)],
      actions: [...lapseActions(d.lapse), ...sell, ...(d.readerKind === "anonymous" ? [{ href: `/signin?callbackUrl=${back}`, label: "Already a subscriber? Sign in" }] : [])],
    }),
    prefetch: () => ({
      summary: "Your browser asked for this page in advance, and such requests only ever get the preview.",
      details: ["Open the article itself to read it; nothing was counted."],
      actions: [{ href: articlePath, label: "Open the article" }],
    }),
    "not-countable": () => ({
      summary: "This page reached you without the check that counts free articles, so it showed the preview.",
      details: [usage, "Reloading the article fixes it; nothing was counted."],
      actions: [{ href: articlePath, label: "Reload the article" }],
    }),
    "unknown-access": () => ({
      summary: "This article's access setting is being changed, so for now it shows everyone the preview.",
      details: ["Please try again later."],
      actions: [],
    }),
  };
  return wording[d.reason]();
}

function lapseDetails(lapse: Lapse | null, now: Date): string[] {
  if (!lapse) return [];
  switch (lapse.kind) {
    case "subscription-ended":
      return [`Your subscription ended on ${day(lapse.on, now)}.`];
    case "paused":
      return [
        lapse.until
          ? `Paused until ${day(lapse.until, now)}: nothing is charged and nothing can be read until then, when your subscription resumes by itself.`
          : "Paused: your subscription resumes, and is charged, when you choose Resume now.",
      ];
    case "payment-failed":
      return [`Your payment failed on ${day(lapse.on, now)}; update your card to keep reading.`];
    case "first-payment-incomplete":
      return ["Your subscription's first payment did not go through, so it never started."];
    case "grant-ended":
      return [`Your complimentary access ended on ${day(lapse.on, now)}.`];
  }
}

function lapseActions(lapse: Lapse | null): ReaderExplanation["actions"] {
  if (lapse?.kind === "payment-failed") return [{ href: "/account", label: "Update your card" }];
  if (lapse?.kind === "subscription-ended") return [{ href: "/account", label: "Your account" }];
  if (lapse?.kind === "paused") return [{ href: "/account", label: "Resume now" }];
  return [];
}

function familyDetails(d: ExplainedDecision): string[] {
  return d.familyEnded ? ["Your family subscription ended: its payer's subscription no longer reads, or they stopped sharing it."] : [];
}
