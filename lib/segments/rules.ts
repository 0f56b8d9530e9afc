import type { SourceClass } from "@/db/schema";
import type { DeviceClass } from "./device-class";

export const FREQUENCIES = ["new", "returning", "loyal"] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** Reads counted in the meter's current window from which a reader is loyal (below: returning; none: new). */
export const LOYAL_FROM = 5;

/** A reader's visit frequency from the meter they carry (cookie or server row): articles counted in its current window. */
export function frequencyOf(countedInWindow: number): Frequency {
  if (countedInWindow <= 0) return "new";
  return countedInWindow >= LOYAL_FROM ? "loyal" : "returning";
}

/** What a request already carries that a rule may look at (gathered by lib/reading, no query). */
export interface SegmentFacts {
  referrer: SourceClass;
  signedIn: boolean;
  newsletterSubscriber: boolean;
  frequency: Frequency;
  device: DeviceClass;
  /** ISO 3166 alpha-2 from the trusted proxy's header, upper case; null when not configured or not sent. */
  country: string | null;
}

/** The settings a rule sets (null: the site's). */
export interface RuleSettings {
  anonymousLimit: number | null;
  registeredLimit: number | null;
  leadInBlocks: number | null;
  registrationWall: boolean | null;
  paywallHeading: string | null;
  paywallBody: string | null;
  paywallButton: string | null;
  featuredOfferId: number | null;
  noOffer: boolean;
}

/** A rule's conditions (null or empty: any) and the settings it sets. */
export interface SegmentRule extends RuleSettings {
  id: number;
  name: string;
  position: number;
  referrerClasses: readonly SourceClass[] | null;
  signedIn: boolean | null;
  newsletterSubscriber: boolean | null;
  frequencies: readonly Frequency[] | null;
  devices: readonly DeviceClass[] | null;
  countries: readonly string[] | null;
}

const anyOf = <T>(allowed: readonly T[] | null, value: T) => allowed === null || allowed.length === 0 || allowed.includes(value);
const either = (wanted: boolean | null, value: boolean) => wanted === null || wanted === value;

/** Whether every condition of the rule holds for these facts. Pure. A rule naming countries never matches a request without one. */
export function ruleMatches(rule: SegmentRule, facts: SegmentFacts): boolean {
  return (
    anyOf(rule.referrerClasses, facts.referrer) &&
    either(rule.signedIn, facts.signedIn) &&
    either(rule.newsletterSubscriber, facts.newsletterSubscriber) &&
    anyOf(rule.frequencies, facts.frequency) &&
    anyOf(rule.devices, facts.device) &&
    (rule.countries === null || rule.countries.length === 0 || (facts.country !== null && rule.countries.includes(facts.country)))
  );
}

export interface SegmentMatch {
  /** The first rule (in the order given: position) that matches, or null: the site's settings. */
  rule: SegmentRule | null;
  /** Every rule that matches, for experiments targeted at a segment (a reader may be in a later rule's segment too). */
  matching: ReadonlySet<number>;
}

const NO_MATCH: SegmentMatch = { rule: null, matching: new Set() };

/** First match wins; no rules, no work. Pure. */
export function matchSegment(rules: readonly SegmentRule[], facts: SegmentFacts): SegmentMatch {
  if (rules.length === 0) return NO_MATCH;
  let first: SegmentRule | null = null;
  const matching = new Set<number>();
  for (const rule of rules) {
    if (!ruleMatches(rule, facts)) continue;
    first ??= rule;
    matching.add(rule.id);
  }
  return first ? { rule: first, matching } : NO_MATCH;
}
