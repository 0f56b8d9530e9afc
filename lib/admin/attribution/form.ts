import { z } from "zod";
import { sourceClass } from "@/db/schema";

export const ATTRIBUTION_PERIODS = [7, 30, 90, 365] as const;
export type AttributionPeriod = (typeof ATTRIBUTION_PERIODS)[number];

/**
 * The report's filter (`?days=…&source=…`), from the address bar: a bad value is a field error
 * shown on the page, and the report falls back to the default for that field.
 */
export const attributionQuerySchema = z.object({
  days: z
    .enum(["7", "30", "90", "365"], { error: "Choose a period of 7, 30, 90 or 365 days." })
    .default("30")
    .transform((d) => Number(d) as AttributionPeriod),
  source: z.enum(sourceClass.enumValues, { error: "Choose a source from the list." }).optional(),
});
export type AttributionQuery = z.infer<typeof attributionQuerySchema>;

/** The filter as asked, each bad field replaced by its default and named in `errors`. */
export function parseAttributionQuery(raw: Record<string, string | string[] | undefined>): { query: AttributionQuery; errors: Partial<Record<keyof AttributionQuery, string>> } {
  const plain = { days: single(raw.days), source: single(raw.source) || undefined };
  const parsed = attributionQuerySchema.safeParse(plain);
  if (parsed.success) return { query: parsed.data, errors: {} };
  const errors: Partial<Record<keyof AttributionQuery, string>> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (field === "days" || field === "source") errors[field] ??= issue.message;
  }
  return { query: attributionQuerySchema.parse({ days: errors.days ? undefined : plain.days, source: errors.source ? undefined : plain.source }), errors };
}

const single = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export const SOURCE_LABELS: Record<(typeof sourceClass.enumValues)[number], string> = {
  search: "Search",
  social: "Social",
  aggregator: "News aggregators",
  newsletter: "Newsletter",
  gift: "Gift links",
  internal: "Internal",
  other: "Other sites",
  direct: "Direct",
};
