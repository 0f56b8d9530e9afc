import { describe, expect, it } from "vitest";
import { decideAccess, policyWith, type VariantMeter } from "@/lib/access/decide-access";
import { assignReader, orderPlans, settingsWith, type LiveExperiment, type VariantChanges } from "@/lib/experiments/live-variant";
import { experimentResults } from "@/lib/experiments/results";
import { meterPolicy as policy, readingSettings as settings } from "../../support/reading-settings";

const now = new Date("2026-12-01T12:00:00Z");
const none: VariantChanges = {
  anonymousLimit: null,
  registeredLimit: null,
  leadInBlocks: null,
  paywallHeading: null,
  paywallBody: null,
  paywallButton: null,
  featuredOfferId: null,
  noOffer: false,
  planOrder: null,
  defaultPlanId: null,
};
const experiment = (id: number, changes: Partial<VariantChanges>, weights = [50, 50]): LiveExperiment => ({
  id,
  name: `Test ${id}`,
  salt: `salt-${id}`,
  variants: weights.map((weight, position) => ({ ...none, ...(position === 0 ? {} : changes), id: id * 10 + position, name: position === 0 ? "Control" : `V${position}`, weight, position })),
});

describe("a reader's variants", () => {
  it("one per live experiment, sticky for a key, control flagged; both variants are reached", () => {
    const live = [experiment(1, { paywallHeading: "A" }), experiment(2, { anonymousLimit: 1 })];
    const first = assignReader(live, "reader-1");
    expect(first.map((v) => v.experimentId)).toEqual([1, 2]);
    expect(assignReader(live, "reader-1")).toEqual(first);
    const ids = new Set(Array.from({ length: 200 }, (_, i) => assignReader(live, `reader-${i}`)[0]!.variantId));
    expect([...ids].sort()).toEqual([10, 11]);
    expect(assignReader(live, "reader-1").find((v) => v.variantId % 10 === 0)?.control ?? true).toBe(true);
  });

  it("the variant's limits are the decision's: the count is the reader's own, never reset", () => {
    const strict: VariantMeter = { experimentId: 1, variantId: 11, anonymousLimit: 1, registeredLimit: null };
    expect(policyWith(policy, [strict])).toEqual({ ...policy, anonymousLimit: 1 });
    expect(policyWith(policy, [])).toBe(policy);
    const meter = { windowStart: now.getTime() / 1000 - 60, articleIds: [7] };
    const input = { reader: { kind: "anonymous" } as const, article: { id: 8, access: "metered" as const }, meter, now, policy, intent: "read" as const };
    expect(decideAccess(input)).toMatchObject({ level: "full", reason: "counted", remaining: 1 });
    expect(decideAccess({ ...input, variants: [strict] })).toMatchObject({ level: "preview", reason: "meter-exhausted", remaining: 0, meterAfter: meter });
    // A looser variant gives more; the articles already counted stay counted.
    const loose: VariantMeter = { ...strict, anonymousLimit: 5 };
    expect(decideAccess({ ...input, variants: [loose] })).toMatchObject({ reason: "counted", remaining: 3, meterAfter: { articleIds: [7, 8] } });
  });

  it("the paywall's settings: the first variant that sets a field wins, the rest stay the site's; no offer is an explicit choice", () => {
    const live = [experiment(1, { paywallHeading: "First", noOffer: true }, [0, 1]), experiment(2, { paywallHeading: "Second", paywallButton: "Get", planOrder: [3, 1] }, [0, 1])];
    const variants = assignReader(live, "anyone");
    const changed = settingsWith(settings, variants);
    expect(changed).toMatchObject({ paywallHeading: "First", paywallButton: "Get", planOrder: [3, 1], paywallBody: "Body", offers: { featuredOfferId: null } });
    expect(settingsWith(settings, [])).toBe(settings);
  });

  it("plans in a variant's order, the default plan first; the same order is the same array (the card's cache keeps hitting)", () => {
    const plans = [{ id: 1 }, { id: 2 }, { id: 3 }];
    expect(orderPlans(plans, null, null)).toBe(plans);
    expect(orderPlans(plans, [3, 1], null).map((p) => p.id)).toEqual([3, 1, 2]);
    expect(orderPlans(plans, [3, 1], 2).map((p) => p.id)).toEqual([2, 3, 1]);
    expect(orderPlans(plans, [3, 1], null)).toBe(orderPlans(plans, [3, 1], null));
  });
});

describe("the results", () => {
  const counts = (name: string, readers: number, subscriptions: number, weight = 50) => ({
    variantId: name.length,
    name,
    weight,
    readers,
    paywallViews: readers * 2,
    registrations: 0,
    newsletterSignups: 0,
    checkouts: subscriptions,
    subscriptions,
  });

  it("conversion with its Wilson interval, the probability to beat control, no mismatch on a fair split", () => {
    const r = experimentResults([counts("control", 1_000, 20), counts("variant", 1_000, 40)]);
    expect(r.variants[1]!.conversion).toBeCloseTo(0.04);
    expect(r.variants[1]!.interval.low).toBeCloseTo(0.02951, 4);
    expect(r.variants[1]!.interval.high).toBeCloseTo(0.05401, 4);
    expect(r.variants[0]!.probabilityToBeatControl).toBeNull();
    expect(r.variants[1]!.probabilityToBeatControl).toBeGreaterThan(0.99);
    expect(r.sampleRatio.mismatch).toBe(false);
    expect(r.tooLittleData).toBe(false);
  });

  it("warns of a sample-ratio mismatch, and of too little data", () => {
    expect(experimentResults([counts("control", 1_000, 20), counts("variant", 800, 20)]).sampleRatio.mismatch).toBe(true);
    expect(experimentResults([counts("control", 50, 1), counts("variant", 50, 3)]).tooLittleData).toBe(true);
    expect(experimentResults([counts("control", 500, 2), counts("variant", 500, 3)]).tooLittleData).toBe(true);
  });
});
