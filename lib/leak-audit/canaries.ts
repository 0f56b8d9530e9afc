import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { articles, auditLog } from "@/db/schema";
import { loadBlocks, loadBlockWordCounts } from "@/lib/content/articles";
import { lockedTextInPublicFields, PUBLIC_FIELDS, REPEAT_CONFIRMED_ACTION, repeatKey, type PublicField } from "@/lib/content/public-field-repeats";
import { previewBlockCount } from "@/lib/content/preview-cut";
import { loadReadingSettings } from "@/lib/settings";
import { loadLiveExperiments } from "@/lib/experiments/live-experiments";
import { loadSegmentRules } from "@/lib/segments/live-segments";
import { DEVICE_CLASSES } from "@/lib/segments/device-class";
import { sourceClass } from "@/db/schema";
import { env } from "@/lib/env";

/** An article as the audit knows it: who may read it, and sentences from its locked part. */
export const auditArticleSchema = z.object({
  id: z.number().int(),
  slug: z.string(),
  title: z.string(),
  access: z.enum(["free", "metered", "subscribers"]),
  published: z.boolean(),
  /** Distinctive runs of words from the locked part: finding one where it must not be is a leak. */
  canaries: z.array(z.string().min(10)),
  /** Public fields that repeat a locked sentence: a leak unless an admin confirmed it is intended. */
  repeats: z
    .array(z.object({ field: z.enum(Object.keys(PUBLIC_FIELDS) as [PublicField, ...PublicField[]]), sentence: z.string(), confirmed: z.boolean() }))
    .default([]),
});
export type AuditArticle = z.infer<typeof auditArticleSchema>;

const MIN_WORDS = 6;
const MAX_CHARS = 90;
const PER_ARTICLE = 3;

/** Whitespace folded to one space, so markup's line breaks never hide a match. */
export function normalise(text: string): string {
  return text.replace(/\s+/g, " ");
}

/**
 * Up to three canaries from the locked blocks (the first, the middle and the last), each a run of
 * plain words (letters, digits, spaces, commas) that escaping in HTML, JSON or mail never changes,
 * and that the open part (lead-in, headline, standfirst) does not contain.
 */
export function pickCanaries(lockedTexts: string[], openText: string): string[] {
  const open = normalise(openText);
  const picks = [0, Math.floor(lockedTexts.length / 2), lockedTexts.length - 1].filter((i, n, all) => i >= 0 && all.indexOf(i) === n);
  const canaries: string[] = [];
  for (const index of picks) {
    const run = longestPlainRun(lockedTexts[index]!);
    if (run && !open.includes(run) && !canaries.includes(run)) canaries.push(run);
  }
  return canaries.slice(0, PER_ARTICLE);
}

function longestPlainRun(text: string): string | null {
  let best: string | null = null;
  const plain = normalise(text);
  for (const match of plain.matchAll(/[A-Za-z0-9][A-Za-z0-9 ,]*[A-Za-z0-9]/g)) {
    let run = match[0];
    // A run that starts or ends inside a word ("council’s") starts or ends at the next whole word.
    if (match.index > 0 && plain[match.index - 1] !== " ") run = run.slice(run.indexOf(" ") + 1);
    const end = match.index + match[0].length;
    if (end < plain.length && /[^\s.,;:!?)"”’]/.test(plain[end]!)) run = run.slice(0, Math.max(0, run.lastIndexOf(" ")));
    if (run.length > MAX_CHARS) run = run.slice(0, run.lastIndexOf(" ", MAX_CHARS));
    if (run.split(" ").length >= MIN_WORDS && (!best || run.length > best.length)) best = run;
  }
  return best;
}

/**
 * Every article with its canaries, from the database: the locked part is what the reading path
 * cuts off (previewBlockCount over the stored word counts, with the article's lead-in or the
 * setting in force, the longest any running experiment's variant or segment rule sets). Free articles have none: everyone may read them.
 */
export async function loadAuditArticles(db: Db, now = new Date()): Promise<AuditArticle[]> {
  const settings = await loadReadingSettings(db);
  // A running variant may lengthen the default lead-in: the canaries come from what no variant shows.
  const variantLeadIns = (await loadLiveExperiments(db)).flatMap((e) => e.variants.flatMap((v) => (v.leadInBlocks === null ? [] : [v.leadInBlocks])));
  // So may a segment rule (and a visit keeps at most the longest of these).
  const ruleLeadIns = (await loadSegmentRules(db)).flatMap((r) => (r.leadInBlocks === null ? [] : [r.leadInBlocks]));
  const defaultLeadIn = Math.max(settings.defaultLeadInBlocks, ...variantLeadIns, ...ruleLeadIns);
  const rows = await db.select().from(articles).orderBy(asc(articles.id));
  const confirmed = await confirmedRepeats(db);
  const result: AuditArticle[] = [];
  for (const row of rows) {
    const cut = previewBlockCount(await loadBlockWordCounts(db, row.id), row.leadInBlocks ?? defaultLeadIn);
    const [open, locked] = await Promise.all([loadBlocks(db, row.id, 0, cut), loadBlocks(db, row.id, cut)]);
    const openText = [row.title, row.dek ?? "", row.heroImageAlt ?? "", row.heroImageCredit ?? "", ...open.map((b) => b.text)].join(" ");
    // The canaries skip what the open part repeats, so those repeats are checked here, field by field.
    const repeats = row.access === "free" ? [] : lockedTextInPublicFields(row, locked.map((b) => b.text));
    result.push({
      id: row.id,
      slug: row.slug,
      title: row.title,
      access: row.access,
      published: row.publishedAt !== null && row.publishedAt <= now,
      canaries: row.access === "free" ? [] : pickCanaries(locked.map((b) => b.text), openText),
      repeats: repeats.map((r) => ({ ...r, confirmed: confirmed.get(row.id)?.has(repeatKey(r)) ?? false })),
    });
  }
  return result;
}

/** The repeats admins confirmed as intended, by article (from the audit log). */
async function confirmedRepeats(db: Db): Promise<Map<number, Set<string>>> {
  const rows = await db
    .select({ id: auditLog.targetId, after: auditLog.after })
    .from(auditLog)
    .where(and(eq(auditLog.action, REPEAT_CONFIRMED_ACTION), eq(auditLog.targetType, "article")));
  const byArticle = new Map<number, Set<string>>();
  for (const row of rows) {
    const keys = z.object({ repeats: z.array(z.string()) }).safeParse(row.after);
    if (!keys.success) continue;
    const set = byArticle.get(Number(row.id)) ?? new Set<string>();
    for (const key of keys.data.repeats) set.add(key);
    byArticle.set(Number(row.id), set);
  }
  return byArticle;
}

/**
 * A live segment rule as the audit crawls it: the request it names (an arrival of its first
 * referrer class, its first device, its first country in the proxy's header). Sign-in, newsletter
 * and frequency are the audit's readers' own.
 */
export const auditSegmentSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  referrer: z.enum(sourceClass.enumValues).nullable(),
  device: z.enum(DEVICE_CLASSES).nullable(),
  country: z.object({ header: z.string(), value: z.string() }).nullable(),
});
export type AuditSegment = z.infer<typeof auditSegmentSchema>;

/** Every segment rule, in order, for the audit's segments channel. */
export async function loadAuditSegments(db: Db): Promise<AuditSegment[]> {
  const header = env().COUNTRY_HEADER;
  return (await loadSegmentRules(db)).map((r) => ({
    id: r.id,
    name: r.name,
    referrer: r.referrerClasses?.[0] ?? null,
    device: r.devices?.[0] ?? null,
    country: header && r.countries?.[0] ? { header, value: r.countries[0] } : null,
  }));
}
