// npx tsx --conditions=react-server tools/bench/decision.ts: the reading path's in-memory decision
// per request (segment facts, first matching rule, the variants of each live experiment, the
// settings they set, decideAccess) with nothing live, with 3 live experiments, and with 3 live
// experiments and 10 segment rules. No database, no HTTP: what segments add to a read's CPU.
import { performance } from "node:perf_hooks";
import { decideAccess, type MeterPolicy } from "@/lib/access/decide-access";
import { nextVisit } from "@/lib/access/visit";
import { assignReaderCached, settingsWith, type LiveExperiment } from "@/lib/experiments/live-variant";
import { referrerClassOf } from "@/lib/reading/segment-facts";
import { deviceClass } from "@/lib/segments/device-class";
import { frequencyOf, matchSegment, type SegmentRule } from "@/lib/segments/rules";
import { segmentMeter, settingsForSegment } from "@/lib/segments/segment-settings";
import type { ReadingSettings } from "@/lib/settings";

const policy: MeterPolicy = { anonymousLimit: 3, registeredLimit: 10, windowDays: 30 };
const settings: ReadingSettings = { policy, defaultLeadInBlocks: 2, paywallHeading: "Subscribe", paywallBody: "Body", paywallButton: "Choose", defaultPlanId: null, planOrder: null, gift: { validDays: 14, browserLimit: 25 }, offers: { checkoutAcceptsCodes: false, featuredOfferId: null } };
const blank = { anonymousLimit: null, registeredLimit: null, leadInBlocks: null, paywallHeading: null, paywallBody: null, paywallButton: null, featuredOfferId: null, noOffer: false, planOrder: null, defaultPlanId: null };
const experiments: LiveExperiment[] = [1, 2, 3].map((id) => ({
  id,
  name: `E${id}`,
  salt: `salt-${id}`,
  variants: [0, 1, 2].map((position) => ({ ...blank, ...(position > 0 ? { paywallHeading: `H${id}${position}` } : {}), id: id * 10 + position, name: `V${position}`, weight: 33, position })),
}));
const ruleBase = { referrerClasses: null, signedIn: null, newsletterSubscriber: null, frequencies: null, devices: null, countries: null, anonymousLimit: null, registeredLimit: null, leadInBlocks: null, registrationWall: null, paywallHeading: "Segment", paywallBody: null, paywallButton: null, featuredOfferId: null, noOffer: false };
// Ten rules, most of which a typical direct desktop read walks past before the last matches.
const rules: SegmentRule[] = [
  { ...ruleBase, id: 1, name: "search", position: 0, referrerClasses: ["search"], anonymousLimit: 5 },
  { ...ruleBase, id: 2, name: "social", position: 1, referrerClasses: ["social"] },
  { ...ruleBase, id: 3, name: "aggregator", position: 2, referrerClasses: ["aggregator"] },
  { ...ruleBase, id: 4, name: "newsletter", position: 3, referrerClasses: ["newsletter"], signedIn: true },
  { ...ruleBase, id: 5, name: "de", position: 4, countries: ["DE", "AT", "CH"] },
  { ...ruleBase, id: 6, name: "phones", position: 5, devices: ["mobile"] },
  { ...ruleBase, id: 7, name: "tablets", position: 6, devices: ["tablet"] },
  { ...ruleBase, id: 8, name: "loyal", position: 7, frequencies: ["loyal"] },
  { ...ruleBase, id: 9, name: "subscribers", position: 8, newsletterSubscriber: true },
  { ...ruleBase, id: 10, name: "everyone", position: 9, leadInBlocks: 3 },
];
const UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const now = new Date("2026-12-01T12:00:00Z");
const keys = Array.from({ length: 5_000 }, (_, i) => `reader-${i}`);

function read(i: number, live: LiveExperiment[], segmentRules: SegmentRule[]): number {
  const match = segmentRules.length === 0 ? null : matchSegment(segmentRules, {
    referrer: referrerClassOf({ referer: i % 3 === 0 ? "https://www.google.com/" : null, params: new URLSearchParams(), ownHost: "ledger.test", visitSource: null }),
    signedIn: false,
    newsletterSubscriber: false,
    frequency: frequencyOf(i % 6),
    device: deviceClass(UA),
    country: null,
  });
  const variants = live.length === 0 ? [] : assignReaderCached(live, keys[i % keys.length]!, match?.matching);
  const s = settingsWith(settingsForSegment(settings, match?.rule ?? null), variants);
  const visit = segmentRules.length + live.length === 0 ? null : nextVisit(null, { anonymousLimit: s.policy.anonymousLimit, registeredLimit: s.policy.registeredLimit, leadInBlocks: s.defaultLeadInBlocks }, 1);
  const d = decideAccess({ reader: { kind: "anonymous" }, article: { id: 9, access: "metered" }, meter: { windowStart: Math.floor(now.getTime() / 1000) - 60, articleIds: [1, 2] }, now, policy, intent: "read", variants, segment: segmentMeter(match?.rule ?? null), visitFloor: visit });
  return d.remaining + s.defaultLeadInBlocks;
}

function measure(label: string, live: LiveExperiment[], segmentRules: SegmentRule[], n = 200_000): number {
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += read(i, live, segmentRules);
  const start = performance.now();
  for (let i = 0; i < n; i++) sink += read(i, live, segmentRules);
  const perRead = ((performance.now() - start) * 1000) / n;
  console.log(`${label.padEnd(36)} ${perRead.toFixed(2)} µs per read${sink < 0 ? "" : ""}`);
  return perRead;
}

const base = measure("nothing live", [], []);
const withExperiments = measure("3 experiments", experiments, []);
const withBoth = measure("3 experiments + 10 segment rules", experiments, rules);
console.log(`segments add ${(withBoth - withExperiments).toFixed(2)} µs per read (${(withBoth - base).toFixed(2)} µs over nothing live); a read has about 1 ms of CPU (docs/speed.md): ${(((withBoth - base) / 1000) * 100).toFixed(2)} %`);
