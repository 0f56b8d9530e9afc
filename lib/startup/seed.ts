import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { plans, siteSettings } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";
import { countArticles, saveArticle } from "@/lib/content/articles";
import { parsePlainTextArticle } from "@/lib/content/parse-plain-text";
import { slugify } from "@/lib/content/slug";

const seedDir = path.join(process.cwd(), "db/seed");

const manifestSchema = z.array(
  z.object({
    file: z.string().regex(/^[\w-]+\.txt$/),
    dek: z.string(),
    byline: z.string(),
    access: z.enum(["free", "metered", "subscribers"]),
    image: z.string(),
    imageAlt: z.string(),
    publishedHoursAgo: z.number().nonnegative(),
    leadInParagraphs: z.number().int().min(1).optional(),
  }),
);

/** Seeds the demo articles, written for this project, through the same parser as the importer. */
export async function seedDemoArticles(db: Db, now = new Date()): Promise<number> {
  const manifest = manifestSchema.parse(JSON.parse(await fs.readFile(path.join(seedDir, "demo-articles.json"), "utf8")));
  for (const entry of manifest) {
    const parsed = parsePlainTextArticle(await fs.readFile(path.join(seedDir, "articles", entry.file), "utf8"));
    await saveArticle(db, {
      slug: slugify(parsed.title),
      title: parsed.title,
      dek: entry.dek,
      byline: entry.byline,
      publishedAt: new Date(now.getTime() - entry.publishedHoursAgo * 3_600_000),
      heroImage: entry.image,
      heroImageAlt: entry.imageAlt,
      heroImageCredit: parsed.credit,
      leadInBlocks: entry.leadInParagraphs ?? null,
      access: entry.access,
      blocks: parsed.blocks,
    });
  }
  return manifest.length;
}

const DEMO_PLANS = [
  {
    name: "Monthly",
    description: "Every story, on every device. Cancel any time.",
    amount: 800,
    currency: "usd",
    interval: "month" as const,
    trialDays: 0,
    sortOrder: 1,
    features: ["Unlimited articles", "The morning briefing newsletter", "Cancel any time"],
  },
  {
    name: "Yearly",
    description: "Two months free compared with paying monthly.",
    amount: 8000,
    currency: "usd",
    interval: "year" as const,
    trialDays: 7,
    sortOrder: 2,
    features: ["Unlimited articles", "The morning briefing newsletter"],
  },
];

/**
 * Fills an empty database: demo articles, the two plans and the settings row. Idempotent, and
 * once across instances: one transaction under an advisory lock, so instances starting together
 * on an empty database wait for the first, then find it seeded.
 */
export async function seedIfEmpty(db: Db): Promise<{ articles: number; plans: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('masthead:seed', 0))`);
    await tx.insert(siteSettings).values({ id: 1 }).onConflictDoNothing();
    const [{ n: planCount } = { n: 0 }] = await tx.select({ n: sql<number>`count(*)::int` }).from(plans);
    let seededPlans = 0;
    if (planCount === 0) {
      await tx.insert(plans).values(DEMO_PLANS);
      await announceChange(tx, "plans");
      seededPlans = DEMO_PLANS.length;
    }
    const seededArticles = (await countArticles(tx)) === 0 ? await seedDemoArticles(tx) : 0;
    return { articles: seededArticles, plans: seededPlans };
  });
}
