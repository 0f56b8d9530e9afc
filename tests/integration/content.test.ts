import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedIfEmpty } from "@/db/seed/seed";
import { articleBlocks, articles, plans } from "@/db/schema";
import { findPublishedArticleMeta, listPublishedArticles, loadBlocks, saveArticle } from "@/lib/content/articles";
import { importPlainTextArticle } from "@/lib/content/import-article";
import { ArticleFormatError } from "@/lib/content/parse-plain-text";
import { createTestDatabase, engines, type TestDatabase } from "./support/databases";

const fixture = readFileSync(new URL("../../../shared/fixtures/izium-article.txt", import.meta.url), "utf8");
const FIXTURE_SLUG = "ukraine-takes-back-control-of-key-city-forcing-humiliating-russian-retreat";

describe.each(engines)("content on %s", (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(() => t.drop());

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

  it("imports the fixture through the importer, at the documented path", async () => {
    const result = await importPlainTextArticle(t.handle.db, fixture, {});
    expect(result.path).toBe(`/articles/${FIXTURE_SLUG}`);
    const meta = await findPublishedArticleMeta(t.handle.db, FIXTURE_SLUG, new Date());
    expect(meta).toMatchObject({ access: "metered", heroImageCredit: "Future Publishing/Getty" });
    const blocks = await loadBlocks(t.handle.db, result.id, 0);
    expect(blocks).toHaveLength(7);
    expect(blocks.map((b) => b.text).join(" ")).not.toMatch(/Subscribe now|Sign up now|Read more at/);
  });

  it("re-importing the same slug updates it in place", async () => {
    const before = await findPublishedArticleMeta(t.handle.db, FIXTURE_SLUG, new Date());
    const edited = fixture.replace("Izium was liberated today", "Izium was freed today");
    const again = await importPlainTextArticle(t.handle.db, edited, { access: "subscribers" });
    expect(again).toMatchObject({ id: before!.id, created: false, kept: true });
    const after = await findPublishedArticleMeta(t.handle.db, FIXTURE_SLUG, new Date());
    // Only the headline and body come from the file: the access stays (see reimport.test.ts).
    expect(after!.access).toBe("metered");
    expect(after!.publishedAt).toEqual(before!.publishedAt);
    const body = (await loadBlocks(t.handle.db, again.id, 0)).map((b) => b.text).join(" ");
    expect(body).toContain("Izium was freed today");
    expect(body).not.toContain("liberated today");
  });

  it("honours --slug and --access, and rejects bad options", async () => {
    const r = await importPlainTextArticle(t.handle.db, fixture, { slug: "izium", access: "free" });
    expect(r.path).toBe("/articles/izium");
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
    const meta = (await findPublishedArticleMeta(t.handle.db, "izium", new Date()))!;
    const before = await loadBlocks(t.handle.db, meta.id, 0);
    await expect(
      saveArticle(t.handle.db, {
        slug: "izium",
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
    expect(leadIn[0]!.text).toMatch(/^Ukrainian forces/);
    expect(locked.at(-1)!.text).toMatch(/lie ahead\.$/);
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
    const meta = (await findPublishedArticleMeta(t.handle.db, "izium", new Date()))!;
    await t.handle.db.delete(articles).where(eq(articles.id, meta.id));
    expect(await t.handle.db.select().from(articleBlocks).where(eq(articleBlocks.articleId, meta.id))).toEqual([]);
  });
});
