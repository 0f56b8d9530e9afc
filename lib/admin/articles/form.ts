import { z } from "zod";
import { articleAccess } from "@/db/schema";
import { articleInputSchema } from "@/lib/content/article-input";
import { markdownToBlocks } from "@/lib/content/markdown";
import { slugSchema, slugify } from "@/lib/content/slug";
import { optionalText, optionalWholeNumber } from "../shared/form-fields";

// --- Status ---

export const articleStatuses = ["draft", "scheduled", "published"] as const;
export type ArticleStatus = (typeof articleStatuses)[number];

/** Draft: no publication time. Scheduled: a time still to come. Published: a time that has passed. */
export function articleStatus(publishedAt: Date | null, now: Date): ArticleStatus {
  if (!publishedAt) return "draft";
  return publishedAt.getTime() > now.getTime() ? "scheduled" : "published";
}

// --- The editor ---

/** How the editor publishes: keep as a draft, publish now (or stay published), or at a time. */
export const publications = ["draft", "now", "schedule"] as const;
export type Publication = (typeof publications)[number];

const text = optionalText;

const id = z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number<unknown>().int().positive().optional());

// Checked inside the transform below, so one wrong choice does not hide the other fields' errors.
const choice = z.string().optional();
const leadInSchema = optionalWholeNumber(1, 50, "paragraphs");

// <input type="datetime-local"> in UTC: 2030-01-31T09:30 (seconds optional).
const UTC_LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

export function parseUtcLocal(value: string): Date | null {
  const m = UTC_LOCAL.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, Number.isNaN(s) ? 0 : s));
  // Reject rolled-over dates such as February 31st.
  return date.getUTCMonth() === mo! - 1 && date.getUTCDate() === d ? date : null;
}

/** The value of a datetime-local input (UTC) for a stored time. */
export function toUtcLocal(date: Date): string {
  return date.toISOString().slice(0, 16);
}

const FIELD_FOR: Record<string, string> = { blocks: "body" };

/**
 * The article editor's form, parsed on the server: text fields, the Markdown body turned into
 * blocks, and the publication choice. Checked against the store's own schema, so an error is
 * reported next to the field it concerns before anything is written.
 */
export const articleFormSchema = z
  .object({
    id,
    title: text,
    slug: text,
    dek: text,
    byline: text,
    heroImage: text,
    heroImageAlt: text,
    heroImageCredit: text,
    leadInBlocks: choice,
    access: choice,
    body: z.string().optional().transform((v) => v ?? ""),
    publication: choice,
    publishAt: text,
    // The repeats of locked text in public fields the admin confirmed as intended (repeatKey, one a line).
    confirmRepeats: z.string().max(20_000).optional(),
  })
  .transform((form, ctx) => {
    const access = articleAccess.enumValues.find((v) => v === form.access);
    if (!access) ctx.addIssue({ code: "custom", path: ["access"], message: "Choose who may read the article" });
    const publication = publications.find((v) => v === form.publication);
    if (!publication) ctx.addIssue({ code: "custom", path: ["publication"], message: "Choose when to publish" });
    const leadIn = leadInSchema.safeParse(form.leadInBlocks);
    if (!leadIn.success) ctx.addIssue({ code: "custom", path: ["leadInBlocks"], message: leadIn.error.issues[0]?.message ?? "Invalid" });
    if (form.body.length > 500_000) ctx.addIssue({ code: "custom", path: ["body"], message: "The body is too long" });
    let publishAt: Date | null = null;
    if (publication === "schedule") {
      publishAt = form.publishAt ? parseUtcLocal(form.publishAt) : null;
      if (!publishAt) ctx.addIssue({ code: "custom", path: ["publishAt"], message: "Enter the date and time to publish (UTC)" });
      else if (publishAt.getTime() <= Date.now()) {
        ctx.addIssue({ code: "custom", path: ["publishAt"], message: "Pick a time in the future, or publish now" });
      }
    }
    const slug = form.slug ?? slugify(form.title ?? "");
    if (form.title && !slug) {
      ctx.addIssue({ code: "custom", path: ["slug"], message: "Enter a slug: the headline has no letters or digits to make one" });
    }
    const checked = articleInputSchema.safeParse({
      slug,
      title: form.title ?? "",
      dek: form.dek,
      byline: form.byline,
      publishedAt: null,
      heroImage: form.heroImage,
      heroImageAlt: form.heroImageAlt,
      heroImageCredit: form.heroImageCredit,
      leadInBlocks: leadIn.data ?? null,
      access: access ?? "metered",
      blocks: markdownToBlocks(form.body),
    });
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const [first, index] = issue.path;
        const field = FIELD_FOR[String(first)] ?? String(first);
        const message = first === "blocks" && typeof index === "number" ? `Block ${index + 1}: ${issue.message}` : issue.message;
        if (!(field === "slug" && !slug)) ctx.addIssue({ code: "custom", path: [field], message });
      }
    }
    // Any issue added above fails the parse; the value returned then is never used.
    if (!checked.success || !publication || !leadIn.success) return z.NEVER;
    const { publishedAt: _unused, ...article } = checked.data;
    const confirmRepeats = (form.confirmRepeats ?? "").split("\n").filter(Boolean);
    return { id: form.id, publication, publishAt, article, confirmRepeats };
  });

export type ArticleForm = z.output<typeof articleFormSchema>;

// --- The plain-text import ---

const MAX_BYTES = 1_000_000;

/** The browser import: a plain-text file, who may read it, an optional slug, and whether a re-import replaces everything. */
export const importFormSchema = z.object({
  file: z
    .file({ error: "Choose a .txt file to import" })
    .min(1, "The file is empty: choose a .txt file with the headline on its first line")
    .max(MAX_BYTES, "The file is larger than 1 MB; an article is plain text")
    .refine((f) => /\.txt$/i.test(f.name) || f.type.startsWith("text/plain"), "Choose a plain-text (.txt) file"),
  access: z.enum(articleAccess.enumValues, { error: "Choose who may read the article" }),
  slug: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .pipe(slugSchema.optional()),
  // A checkbox: present ("on") when ticked, absent otherwise.
  replaceAll: z
    .literal("on", { error: "Tick the box or leave it empty" })
    .optional()
    .transform((v) => v === "on"),
});

export type ImportForm = z.output<typeof importFormSchema>;

// --- The list's query string ---

const blankToUndefined = (v: unknown) => (v === "" || Array.isArray(v) ? undefined : v);

/** The list's query string; anything unparsable falls back to "no filter" rather than an error page. */
export const articleListQuerySchema = z.object({
  q: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()).catch(undefined),
  access: z.preprocess(blankToUndefined, z.enum(articleAccess.enumValues).optional()).catch(undefined),
  status: z.preprocess(blankToUndefined, z.enum(articleStatuses).optional()).catch(undefined),
  // Keyset paging: the id of the last article on the previous page.
  after: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).optional()).catch(undefined),
});

export type ArticleListQuery = z.output<typeof articleListQuerySchema>;
