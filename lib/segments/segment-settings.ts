import type { SegmentMeter } from "@/lib/access/decide-access";
import type { ReadingSettings } from "@/lib/settings";
import type { SegmentRule } from "./rules";

/** The rule's limits as the decision takes them: a registration wall opens no article to an anonymous reader. */
export function segmentMeter(rule: SegmentRule | null): SegmentMeter | null {
  if (!rule) return null;
  return { segmentId: rule.id, anonymousLimit: rule.registrationWall === true ? 0 : rule.anonymousLimit, registeredLimit: rule.registeredLimit };
}

/** The site's settings as the matched rule changes them (what experiments' variants then change in turn). Pure. */
export function settingsForSegment(settings: ReadingSettings, rule: SegmentRule | null): ReadingSettings {
  if (!rule) return settings;
  const meter = segmentMeter(rule)!;
  return {
    ...settings,
    policy: {
      ...settings.policy,
      anonymousLimit: meter.anonymousLimit ?? settings.policy.anonymousLimit,
      registeredLimit: meter.registeredLimit ?? settings.policy.registeredLimit,
    },
    defaultLeadInBlocks: rule.leadInBlocks ?? settings.defaultLeadInBlocks,
    paywallHeading: rule.paywallHeading ?? settings.paywallHeading,
    paywallBody: rule.paywallBody ?? settings.paywallBody,
    paywallButton: rule.paywallButton ?? settings.paywallButton,
    registrationWall: rule.registrationWall ?? settings.registrationWall,
    offers: rule.noOffer || rule.featuredOfferId !== null ? { ...settings.offers, featuredOfferId: rule.noOffer ? null : rule.featuredOfferId } : settings.offers,
  };
}
