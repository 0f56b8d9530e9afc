import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { seedIfEmpty } from "@/lib/startup/seed";
import { articleBlocks, articles, plans } from "@/db/schema";
import { findPublishedArticleMeta, listPublishedArticles, loadBlocks, saveArticle } from "@/lib/content/articles";
import { importPlainTextArticle } from "@/lib/content/import-article";
import { ArticleFormatError, parsePlainTextArticle } from "@/lib/content/parse-plain-text";
import { slugify } from "@/lib/content/slug";
import { articleFixtures, mainFixture } from "../support/fixtures";
import { createTestDatabase, engines, testDatabaseForSuite } from "./support/databases";

const fixture = mainFixture.text;
const FIXTURE_SLUG = "port-calder-dockworkers-end-nine-day-strike-after-port-authority-agrees-to-hire-40-crane-operators";

describe.each(engines)("content on %s", (engine) => {
  const t = testDatabaseForSuite(engine);

  it("seeds demo content into an empty database, once", async () => {
    const first = await seedIfEmpty(t.handle.db);
    expect(first.articles).toBeGreaterThanOrEqual(8);
    expect(first.plans).toBe(2);
    const levels = await t.handle.db.selectDistinct({ access: articles.access }).from(articles);
    expect(levels.map((l) => l.access).sort()).toEqual(["free", "metered", "subscribers"]);
    expect(await seedIfEmpty(t.handle.db)).toEqual({ articles: 0, plans: 0 });
    const images = await t.handle.db.select({ src: articles.heroImage, alt: articles.heroImageAlt }).from(articles);
    for (const image of images) {
      expect(image.src).toMatch(/^\/images\//);
      expect(image.alt?.length).toBeGreaterThan(10);
    }
    expect(await t.handle.db.select().from(plans)).toHaveLength(2);
  });

  it.runIf(engine === "postgres")("seeds once when two instances start together on an empty database", async () => {
    const { openDatabase } = await import("@/db/client");
    const fresh = await createTestDatabase(engine);
    const second = await openDatabase({ url: fresh.url! });
    try {
      const results = await Promise.all([seedIfEmpty(fresh.handle.db), seedIfEmpty(second.db)]);
      expect(results.map((r) => r.plans).sort()).toEqual([0, 2]);
      expect(Math.min(...results.map((r) => r.articles))).toBe(0);
      expect(await fresh.handle.db.select().from(plans)).toHaveLength(2);
      expect(await fresh.handle.db.select({ id: articles.id }).from(articles)).toHaveLength(Math.max(...results.map((r) => r.articles)));
    } finally {
      await second.close();
      await fresh.drop();
    }
  });

  it("imports the fixture through the importer, at the documented path", async () => {
    const result = await importPlainTextArticle(t.handle.db, fixture, {});
    expect(result.path).toBe(`/articles/${FIXTURE_SLUG}`);
    const meta = await findPublishedArticleMeta(t.handle.db, FIXTURE_SLUG, new Date());
    expect(meta).toMatchObject({ access: "metered", heroImageCredit: "Tomasz Ferreira/Port Calder Ledger" });
    const blocks = await loadBlocks(t.handle.db, result.id, 0);
    expect(blocks).toHaveLength(7);
    expect(blocks.map((b) => b.text).join(" ")).not.toMatch(/Subscribe now|Sign up now|Read more at/);
  });

  it.each(articleFixtures.map((f) => [`${f.origin}/${f.name}`, f] as const))(
    "imports %s at its headline's slug, with the blocks and credit it parses to",
    async (_name, f) => {
      const parsed = parsePlainTextArticle(f.text);
      const result = await importPlainTextArticle(t.handle.db, f.text, {});
      expect(result.slug).toBe(slugify(parsed.title));
      const meta = await findPublishedArticleMeta(t.handle.db, result.slug, new Date());
      expect(meta).toMatchObject({ title: parsed.title, heroImageCredit: parsed.credit });
      expect(await loadBlocks(t.handle.db, result.id, 0)).toEqual(parsed.blocks);
    },
  );

  it("re-importing the same slug updates it in place", async () => {
    const before = await findPublishedArticleMeta(t.handle.db, FIXTURE_SLUG, new Date());
    const edited = fixture.replace("signed their names to it", "put their names to it");
    const again = await importPlainTextArticle(t.handle.db, edited, { accessIfNew: "subscribers" });
    expect(again).toMatchObject({ id: before!.id, created: false, kept: true, changed: [] });
    const after = await findPublishedArticleMeta(t.handle.db, FIXTURE_SLUG, new Date());
    // Only the headline and body come from the file: the access stays unless given explicitly (see reimport.test.ts).
    expect(after!.access).toBe("metered");
    expect(after!.publishedAt).toEqual(before!.publishedAt);
    const body = (await loadBlocks(t.handle.db, again.id, 0)).map((b) => b.text).join(" ");
    expect(body).toContain("put their names to it");
    expect(body).not.toContain("signed their names to it");
  });

  it("honours --slug and --access, and rejects bad options", async () => {
    const r = await importPlainTextArticle(t.handle.db, fixture, { slug: "dockworkers", access: "free" });
    expect(r.path).toBe("/articles/dockworkers");
    await expect(importPlainTextArticle(t.handle.db, fixture, { slug: "Not A Slug" })).rejects.toThrow(/slug/);
    await expect(importPlainTextArticle(t.handle.db, fixture, { access: "vip" })).rejects.toThrow(/access/);
  });

  it("stores nothing from a malformed file", async () => {
    const count = async () => (await t.handle.db.select({ id: articles.id }).from(articles)).length;
    const before = await count();
    await expect(importPlainTextArticle(t.handle.db, "Headline only\n", {})).rejects.toBeInstanceOf(ArticleFormatError);
    await expect(importPlainTextArticle(t.handle.db, "", {})).rejects.toBeInstanceOf(ArticleFormatError);
    expect(await count()).toBe(before);
  });

  it("replaces the body atomically: a failed save leaves the old body", async () => {
    const meta = (await findPublishedArticleMeta(t.handle.db, "dockworkers", new Date()))!;
    const before = await loadBlocks(t.handle.db, meta.id, 0);
    await expect(
      saveArticle(t.handle.db, {
        slug: "dockworkers",
        title: "x",
        publishedAt: new Date(),
        blocks: [{ kind: "paragraph", text: "ok" }, { kind: "paragraph", text: "\u0000 nul bytes are refused by Postgres" }],
      }),
    ).rejects.toThrow();
    expect(await loadBlocks(t.handle.db, meta.id, 0)).toEqual(before);
  });

  it("reads the lead-in without the locked part, and the locked part on its own", async () => {
    const meta = (await findPublishedArticleMeta(t.handle.db, FIXTURE_SLUG, new Date()))!;
    const leadIn = await loadBlocks(t.handle.db, meta.id, 0, 2);
    const locked = await loadBlocks(t.handle.db, meta.id, 2);
    expect(leadIn).toHaveLength(2);
    expect(locked).toHaveLength(5);
    expect(leadIn[0]!.text).toMatch(/^Cranes at the Kettle Point/);
    expect(locked.at(-1)!.text).toMatch(/weather permitting\.$/);
  });

  it("hides drafts and scheduled articles from readers", async () => {
    const future = new Date(Date.now() + 86_400_000);
    await saveArticle(t.handle.db, { slug: "draft", title: "Draft", publishedAt: null, blocks: [{ kind: "paragraph", text: "d" }] });
    await saveArticle(t.handle.db, { slug: "scheduled", title: "Later", publishedAt: future, blocks: [{ kind: "paragraph", text: "s" }] });
    expect(await findPublishedArticleMeta(t.handle.db, "draft", new Date())).toBeNull();
    expect(await findPublishedArticleMeta(t.handle.db, "scheduled", new Date())).toBeNull();
    expect(await findPublishedArticleMeta(t.handle.db, "scheduled", new Date(future.getTime() + 1))).not.toBeNull();
    const listed = await listPublishedArticles(t.handle.db, new Date());
    expect(listed.map((a) => a.slug)).not.toContain("draft");
    expect(listed.map((a) => a.slug)).not.toContain("scheduled");
    const times = listed.map((a) => a.publishedAt!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("deletes an article's blocks with it", async () => {
    const meta = (await findPublishedArticleMeta(t.handle.db, "dockworkers", new Date()))!;
    await t.handle.db.delete(articles).where(eq(articles.id, meta.id));
    expect(await t.handle.db.select().from(articleBlocks).where(eq(articleBlocks.articleId, meta.id))).toEqual([]);
  });
});
