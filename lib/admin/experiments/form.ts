/**
 * The admin's experiment form, parsed: up to five variants as flat fields (`v0_name`, `v1_weight`…),
 * so each field carries its own message. Variant 0 is the control: today's settings, a name and a
 * share only. A variant is left out when its row is blank; at least two are needed.
 */
import { z } from "zod";
import { optionalWholeNumber } from "../shared/form-fields";
import { boundedText, offerOverride, paywallOverrideFields } from "../shared/paywall-overrides";

export const MAX_VARIANTS = 5;

const id = z.coerce.number<string>().int().positive().max(2_147_483_647);

/** Plan ids in the order the card shows them, e.g. "3, 1". */
const planOrder = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const s = v?.trim() ?? "";
    if (s === "") return null;
    const parts = s.split(/[\s,]+/).filter(Boolean);
    if (parts.length > 20 || parts.some((p) => !/^\d{1,9}$/.test(p))) {
      ctx.addIssue({ code: "custom", message: "Enter plan ids separated by commas, like 3, 1" });
      return z.NEVER;
    }
    const ids = parts.map(Number);
    if (new Set(ids).size !== ids.length) {
      ctx.addIssue({ code: "custom", message: "Name each plan once" });
      return z.NEVER;
    }
    return ids;
  });

const optionalId = z
  .string()
  .optional()
  .transform((v) => v?.trim() ?? "")
  .pipe(z.union([z.literal("").transform(() => null), z.string().regex(/^\d{1,9}$/, "Choose a plan from the list").transform(Number)]));

function variantFields(i: number) {
  return {
    [`v${i}_name`]: boundedText(60),
    [`v${i}_weight`]: optionalWholeNumber(1, 100, "percent"),
    ...(i === 0
      ? {}
      : {
          // A winner's values are the site's settings after: the settings form's bounds.
          ...Object.fromEntries(Object.entries(paywallOverrideFields).map(([key, field]) => [`v${i}_${key}`, field])),
          [`v${i}_planOrder`]: planOrder,
          [`v${i}_defaultPlan`]: optionalId,
        }),
  };
}

const CHANGES = ["anonymousLimit", "registeredLimit", "leadInBlocks", "heading", "body", "button", "offer", "planOrder", "defaultPlan"] as const;

const shape = {
  name: z.string({ error: "Enter a name" }).trim().min(1, "Enter a name").max(120, "At most 120 characters"),
  segment: z
    .string()
    .optional()
    .transform((v) => v?.trim() ?? "")
    .pipe(z.union([z.literal("").transform(() => null), z.string().regex(/^\d{1,9}$/, "Choose a segment from the list").transform(Number)])),
  ...Object.assign({}, ...Array.from({ length: MAX_VARIANTS }, (_, i) => variantFields(i))),
} as Record<string, z.ZodType>;

export interface VariantInput {
  /** The form's row (its fields are `v{row}_…`), for a field error found later. */
  row: number;
  position: number;
  name: string;
  weight: number;
  anonymousLimit: number | null;
  registeredLimit: number | null;
  leadInBlocks: number | null;
  paywallHeading: string | null;
  paywallBody: string | null;
  paywallButton: string | null;
  featuredOfferId: number | null;
  noOffer: boolean;
  planOrder: number[] | null;
  defaultPlanId: number | null;
}

export interface ExperimentInput {
  name: string;
  /** The segment rule it is targeted at (only readers matching it are assigned); null: every reader. */
  segmentId: number | null;
  variants: VariantInput[];
}

export const createExperimentSchema = z
  .object(shape)
  .superRefine((form, ctx) => {
    const f = form as Record<string, unknown>;
    for (let i = 0; i < MAX_VARIANTS; i++) {
      const name = f[`v${i}_name`];
      const changes = i === 0 ? [] : CHANGES.filter((c) => f[`v${i}_${c}`] !== null && f[`v${i}_${c}`] !== "");
      if (name === null) {
        if (i < 2) ctx.addIssue({ code: "custom", path: [`v${i}_name`], message: i === 0 ? "Name the control (today's settings)" : "Name the first variant: an experiment has at least two" });
        else if (changes.length > 0 || f[`v${i}_weight`] !== null) ctx.addIssue({ code: "custom", path: [`v${i}_name`], message: "Name this variant, or clear its fields" });
        continue;
      }
      if (f[`v${i}_weight`] === null) ctx.addIssue({ code: "custom", path: [`v${i}_weight`], message: "Enter this variant's share of readers, 1 to 100" });
      if (i > 0 && changes.length === 0) ctx.addIssue({ code: "custom", path: [`v${i}_name`], message: "This variant changes nothing: set at least one of its settings" });
    }
  })
  .transform((form): ExperimentInput => {
    const f = form as Record<string, unknown>;
    const variants: VariantInput[] = [];
    for (let i = 0; i < MAX_VARIANTS; i++) {
      const name = f[`v${i}_name`] as string | null;
      if (name === null) continue;
      const get = <T>(key: string) => (i === 0 ? null : ((f[`v${i}_${key}`] ?? null) as T | null));
      variants.push({
        row: i,
        position: variants.length,
        name,
        weight: f[`v${i}_weight`] as number,
        anonymousLimit: get<number>("anonymousLimit"),
        registeredLimit: get<number>("registeredLimit"),
        leadInBlocks: get<number>("leadInBlocks"),
        paywallHeading: get<string>("heading"),
        paywallBody: get<string>("body"),
        paywallButton: get<string>("button"),
        ...offerOverride(get<string>("offer")),
        planOrder: get<number[]>("planOrder"),
        defaultPlanId: get<number>("defaultPlan"),
      });
    }
    return { name: form.name as string, segmentId: (form.segment as number | null) ?? null, variants };
  });

export const experimentIdSchema = z.object({ id });
/** Editing a draft: its id and the same form as a new one, checked the same way. */
export const updateExperimentSchema = z.intersection(z.object({ id }), createExperimentSchema);
export const applyWinnerSchema = z.object({ id, variantId: id });

/** A draft as the form's fields, to edit it (a blank field keeps the site's setting, as when it was made). */
export function experimentFormValues(experiment: { name: string; segmentId: number | null; variants: Array<Omit<VariantInput, "row">> }): Record<string, string> {
  const values: Record<string, string> = { name: experiment.name, segment: experiment.segmentId === null ? "" : String(experiment.segmentId) };
  const num = (v: number | null) => (v === null ? "" : String(v));
  for (const v of [...experiment.variants].sort((a, b) => a.position - b.position)) {
    const i = v.position;
    Object.assign(values, { [`v${i}_name`]: v.name, [`v${i}_weight`]: String(v.weight) });
    if (i === 0) continue;
    Object.assign(values, {
      [`v${i}_anonymousLimit`]: num(v.anonymousLimit),
      [`v${i}_registeredLimit`]: num(v.registeredLimit),
      [`v${i}_leadInBlocks`]: num(v.leadInBlocks),
      [`v${i}_heading`]: v.paywallHeading ?? "",
      [`v${i}_body`]: v.paywallBody ?? "",
      [`v${i}_button`]: v.paywallButton ?? "",
      [`v${i}_offer`]: v.noOffer ? "none" : num(v.featuredOfferId),
      [`v${i}_planOrder`]: (v.planOrder ?? []).join(", "),
      [`v${i}_defaultPlan`]: num(v.defaultPlanId),
    });
  }
  return values;
}
