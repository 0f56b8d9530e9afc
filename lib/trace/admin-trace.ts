import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Db } from "@/db/client";
import { articles, sourceClass } from "@/db/schema";
import { DEVICE_CLASSES } from "@/lib/segments/device-class";
import { slugSchema } from "@/lib/content/slug";
import { keyFor } from "@/lib/server-secret";
import { decodeTraceId } from "./trace-id";
import { findUserIdByEmail, traceReading, type AccessTrace, type TraceReader } from "./trace-reading";

/** The admin trace form, from the query string. */
export const traceQuerySchema = z.object({
  reader: z.string().trim().max(1024).default(""),
  article: z.string().trim().max(200).default(""),
  intent: z.enum(["read", "recheck", "prefetch"]).catch("read"),
  // What the request would carry, for segment rules: the arrival's class, the device, the proxy's country.
  referrer: z.enum(sourceClass.enumValues).catch("direct"),
  device: z.enum(DEVICE_CLASSES).catch("desktop"),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z][A-Z0-9]$/)
    .nullable()
    .catch(null),
});

export type TraceOutcome =
  | { ok: true; trace: AccessTrace; readerLabel: string; traceIssuedAt: Date | null }
  | { ok: false; field: "reader" | "article"; message: string };

/**
 * Resolves what the admin typed (an email, a trace id a reader pasted, or "anonymous") and the
 * article, then traces. Trace ids verify under this site's key: only this page can read them,
 * and it is behind requireAdmin. The caller must have checked the admin first.
 */
type TraceQuery = z.infer<typeof traceQuerySchema>;

export async function adminTrace(query: Omit<TraceQuery, "referrer" | "device" | "country"> & Partial<Pick<TraceQuery, "referrer" | "device" | "country">>, now = new Date()): Promise<TraceOutcome> {
  const db = await getDb();
  let who: TraceReader = { kind: "anonymous", meter: null };
  let readerLabel = "anonymous, no meter";
  let articleId: number | null = null;
  let traceIssuedAt: Date | null = null;
  const input = query.reader;
  if (input.includes("@")) {
    const userId = await findUserIdByEmail(db, input);
    if (!userId) return { ok: false, field: "reader", message: `No account with the email ${input}.` };
    who = { kind: "user", userId };
    readerLabel = input.toLowerCase();
  } else if (/^(googlebot|crawler)$/i.test(input)) {
    who = { kind: "crawler" };
    readerLabel = "Googlebot, as if DNS verified it (VERIFIED_CRAWLERS=google)";
  } else if (input !== "" && input.toLowerCase() !== "anonymous") {
    const subject = decodeTraceId(input, keyFor("trace"));
    if (!subject) return { ok: false, field: "reader", message: "Not a trace id from this site (or it was changed): ask the reader to copy it again." };
    who = subject.kind === "user" ? { kind: "user", userId: subject.userId } : { kind: "anonymous", meter: subject.meter, readerId: subject.readerId ?? null };
    readerLabel = subject.kind === "user" ? "signed-in reader from a trace id" : "anonymous reader from a trace id";
    articleId = subject.articleId;
    traceIssuedAt = new Date(subject.issuedAt * 1000);
  }
  const slug = query.article || (articleId ? await slugForId(db, articleId) : "");
  const parsedSlug = slugSchema.safeParse(slug);
  if (!parsedSlug.success) return { ok: false, field: "article", message: "Choose an article." };
  const trace = await traceReading(db, who, parsedSlug.data, query.intent, now, { referrer: query.referrer ?? "direct", device: query.device ?? "desktop", country: query.country ?? null });
  if (!trace) return { ok: false, field: "article", message: "No such article (or the reader's account no longer exists)." };
  if (trace.account?.email) readerLabel = trace.account.email;
  return { ok: true, trace, readerLabel, traceIssuedAt };
}

async function slugForId(db: Db, id: number): Promise<string> {
  const [row] = await db.select({ slug: articles.slug }).from(articles).where(eq(articles.id, id));
  return row?.slug ?? "";
}
