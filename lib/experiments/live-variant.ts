import type { ExperimentVariant } from "@/db/schema";
import type { VariantMeter } from "@/lib/access/decide-access";
import type { ReadingSettings } from "@/lib/settings";
import { assignVariant } from "./assignment";

/** What a variant changes, as the reading path holds it (every field null or absent: the site's setting). */
export type VariantChanges = Pick<
  ExperimentVariant,
  "anonymousLimit" | "registeredLimit" | "leadInBlocks" | "paywallHeading" | "paywallBody" | "paywallButton" | "featuredOfferId" | "noOffer" | "planOrder" | "defaultPlanId"
>;

/** A running experiment in memory: its salt and its variants in order (control first). */
export interface LiveExperiment {
  id: number;
  name: string;
  salt: string;
  /** The segment rule it is targeted at (only readers matching it are assigned); null or absent: every reader. */
  segmentId?: number | null;
  variants: Array<VariantChanges & { id: number; name: string; weight: number; position: number }>;
}

/** The variant a reader is in, for the decision (its meter limits), the page (its paywall) and the trace (its names). */
export interface AssignedVariant extends VariantMeter {
  experimentName: string;
  variantName: string;
  control: boolean;
  changes: VariantChanges;
}

const NO_SEGMENTS: ReadonlySet<number> = new Set();

/**
 * The reader's variant in each live experiment, by the salted hash of their key. An experiment
 * targeted at a segment assigns only a reader whose request matches that rule (`segments`: every
 * rule the request matches); others keep the default. Pure: no I/O.
 */
export function assignReader(live: readonly LiveExperiment[], readerKey: string, segments: ReadonlySet<number> = NO_SEGMENTS): AssignedVariant[] {
  const assigned: AssignedVariant[] = [];
  for (const experiment of live) {
    if (experiment.segmentId != null && !segments.has(experiment.segmentId)) continue;
    const variant = assignVariant(experiment.salt, readerKey, experiment.variants);
    if (!variant) continue;
    assigned.push({
      experimentId: experiment.id,
      variantId: variant.id,
      anonymousLimit: variant.anonymousLimit,
      registeredLimit: variant.registeredLimit,
      experimentName: experiment.name,
      variantName: variant.name,
      control: variant.position === 0,
      changes: variant,
    });
  }
  return assigned;
}

// Assignments by key while the live list stays the same (a reload is a new array): a returning
// reader costs a map lookup, not an HMAC per experiment.
const assignments = new WeakMap<readonly LiveExperiment[], Map<string, AssignedVariant[]>>();
const MAX_KEPT_ASSIGNMENTS = 20_000;

/** assignReader, remembered per key (and, with a targeted experiment live, per matching rules) for the current live list. */
export function assignReaderCached(live: readonly LiveExperiment[], readerKey: string, segments: ReadonlySet<number> = NO_SEGMENTS): AssignedVariant[] {
  let byKey = assignments.get(live);
  if (!byKey) assignments.set(live, (byKey = new Map()));
  const targeted = live.some((e) => e.segmentId != null);
  const key = targeted ? `${readerKey}|${[...segments].join(",")}` : readerKey;
  let assigned = byKey.get(key);
  if (!assigned) {
    assigned = assignReader(live, readerKey, segments);
    if (byKey.size >= MAX_KEPT_ASSIGNMENTS) byKey.clear();
    byKey.set(key, assigned);
  }
  return assigned;
}

/** The paywall's settings for a reader in these variants: for each setting, the first variant that sets it wins. */
export function settingsWith(settings: ReadingSettings, variants: readonly AssignedVariant[]): ReadingSettings {
  if (variants.length === 0) return settings;
  const first = <K extends keyof VariantChanges>(key: K): VariantChanges[K] | undefined => variants.find((v) => v.changes[key] !== null && v.changes[key] !== false)?.changes[key];
  const offer = variants.find((v) => v.changes.noOffer || v.changes.featuredOfferId !== null)?.changes;
  return {
    ...settings,
    policy: {
      ...settings.policy,
      anonymousLimit: first("anonymousLimit") ?? settings.policy.anonymousLimit,
      registeredLimit: first("registeredLimit") ?? settings.policy.registeredLimit,
    },
    defaultLeadInBlocks: first("leadInBlocks") ?? settings.defaultLeadInBlocks,
    paywallHeading: first("paywallHeading") ?? settings.paywallHeading,
    paywallBody: first("paywallBody") ?? settings.paywallBody,
    paywallButton: first("paywallButton") ?? settings.paywallButton,
    defaultPlanId: first("defaultPlanId") ?? settings.defaultPlanId,
    planOrder: first("planOrder") ?? settings.planOrder,
    offers: offer ? { ...settings.offers, featuredOfferId: offer.noOffer ? null : offer.featuredOfferId } : settings.offers,
  };
}

// Orders by plan list: the same list in the same order is the same array, so the paywall card's
// cache (per plan list) keeps hitting; a reload of the plans starts afresh.
const ordered = new WeakMap<object, Map<string, unknown[]>>();

/** Plans in the variant's order: the default plan first, then the listed ones in that order, the rest as they were. */
export function orderPlans<P extends { id: number }>(plans: P[], order: readonly number[] | null, defaultPlanId: number | null): P[] {
  if ((order ?? []).length === 0 && defaultPlanId === null) return plans;
  const key = `${defaultPlanId}|${(order ?? []).join(",")}`;
  let byOrder = ordered.get(plans);
  if (!byOrder) ordered.set(plans, (byOrder = new Map()));
  const kept = byOrder.get(key);
  if (kept) return kept as P[];
  const rank = new Map((order ?? []).map((id, i) => [id, i]));
  const place = (p: P) => (defaultPlanId === p.id ? -1 : (rank.get(p.id) ?? Number.MAX_SAFE_INTEGER));
  const result = plans
    .map((p, i) => ({ p, i }))
    .sort((a, b) => place(a.p) - place(b.p) || a.i - b.i)
    .map(({ p }) => p);
  if (byOrder.size < 100) byOrder.set(key, result);
  return result;
}
