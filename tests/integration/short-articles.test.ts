import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeMeter, METER_COOKIE } from "@/lib/access/meter";
import type { Block } from "@/lib/content/blocks";
import { type AppDatabase, engines, openAppDatabase } from "./support/databases";

const words = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag}${i}`).join(" ");
const paragraph = (tag: string, n: number): Block => ({ kind: "paragraph", text: words(tag, n) });

interface ShortArticle {
  slug: string;
  blocks: Block[];
  leadInBlocks?: number;
  /** How many leading blocks a reader without access may see. */
  shown: number;
}

// Subscribers-only, lead-in 2 (the site default) unless set: each would have been sent whole before.
const shortArticles: ShortArticle[] = [
  { slug: "one-block", blocks: [paragraph("solo", 40)], shown: 0 },
  { slug: "two-blocks", blocks: [paragraph("twoa", 8), paragraph("twob", 40)], shown: 1 },
  { slug: "two-blocks-long-first", blocks: [paragraph("tlfa", 41), paragraph("tlfb", 40)], shown: 0 },
  { slug: "three-blocks", blocks: [paragraph("thra", 10), paragraph("thrb", 10), paragraph("thrc", 40)], shown: 2 },
  { slug: "three-equal-blocks", blocks: [paragraph("tqa", 20), paragraph("tqb", 20), paragraph("tqc", 20)], shown: 1 },
  {
    slug: "three-blocks-lead-in-5",
    blocks: [{ kind: "heading", text: "fivea0 fivea1" }, paragraph("fiveb", 10), paragraph("fivec", 30)],
    leadInBlocks: 5,
    shown: 2,
  },
];

// A short article's preview, through the gate (proxy) and the page (route handler), on a real database.
describe.each(engines)("short locked articles on %s", (engine) => {
  let t: AppDatabase;
  let articleResponse: typeof import("@/lib/reading/article-response").articleResponse;
  let routeGet: typeof import("@/app/articles/[slug]/route").GET;
  let ids: Map<string, number>;
  let meterKey: Buffer;

  beforeAll(async () => {
    t = await openAppDatabase(engine);
    const { saveArticle } = await import("@/lib/content/articles");
    const db = t.db;
    ids = new Map();
    for (const article of shortArticles) {
      for (const access of ["subscribers", "metered"] as const) {
        const slug = `${article.slug}-${access}`;
        const saved = await saveArticle(db, {
          slug,
          title: `Headline of ${slug}`,
          dek: `Standfirst of ${slug}`,
          publishedAt: new Date(Date.now() - 60_000),
          access,
          leadInBlocks: article.leadInBlocks ?? null,
          blocks: article.blocks,
        });
        ids.set(slug, saved.id);
      }
    }
    ({ articleResponse } = await import("@/lib/reading/article-response"));
    ({ GET: routeGet } = await import("@/app/articles/[slug]/route"));
    meterKey = (await import("@/lib/server-secret")).keyFor("meter");
  });
  afterAll(async () => {
    await t.close();
  });

  const request = (slug: string, cookie?: string) =>
    new NextRequest(new URL(`/articles/${slug}`, "http://localhost"), { headers: cookie ? { cookie } : {} });
  const spentMeter = () =>
    `${METER_COOKIE}=${encodeMeter({ windowStart: Math.floor(Date.now() / 1000), articleIds: [9001, 9002, 9003] }, meterKey)}`;

  /** Every way an anonymous reader without access gets the page: the gate, the route handler, and over the meter. */
  async function previews(article: ShortArticle): Promise<string[]> {
    const subscribers = `${article.slug}-subscribers`;
    const metered = `${article.slug}-metered`;
    return Promise.all([
      articleResponse(request(subscribers), subscribers, "read").then((r) => r.text()),
      routeGet(request(subscribers), { params: Promise.resolve({ slug: subscribers }) }).then((r) => r.text()),
      articleResponse(request(metered, spentMeter()), metered, "read").then((r) => r.text()),
    ]);
  }

  it.each(shortArticles)("$slug: a reader without access never gets the last block, nor more than the cut allows", async (article) => {
    for (const body of await previews(article)) {
      expect(body).toContain('data-access="preview"');
      expect(body).toContain("data-paywall");
      expect(body).toContain(`Headline of ${article.slug}`);
      expect(body).toContain(`Standfirst of ${article.slug}`);
      article.blocks.forEach((block, i) => {
        if (i < article.shown) expect(body).toContain(block.text);
        else expect(body).not.toContain(block.text.split(" ")[0]);
      });
      // Metadata and JSON-LD carry no body text at all.
      const head = body.slice(0, body.indexOf("</head>"));
      for (const block of article.blocks) expect(head).not.toContain(block.text.split(" ")[0]);
    }
  });

  it("the database counts words as the editor's wordCount does", async () => {
    const { saveArticle, loadBlockWordCounts } = await import("@/lib/content/articles");
    const { wordCount } = await import("@/lib/content/preview-cut");
    const texts = ["one", "two  spaced\twords\nhere", "non\u00a0breaking — dash, “quoted” café", "a\r\nb\fc\vd", "x"];
    const saved = await saveArticle(t.db, {
      slug: "word-counts",
      title: "Word counts",
      publishedAt: null,
      blocks: texts.map((text) => ({ kind: "paragraph" as const, text })),
    });
    expect(await loadBlockWordCounts(t.db, saved.id)).toEqual(texts.map(wordCount));
    expect(texts.map(wordCount)).toEqual([1, 4, 5, 4, 1]);
  });

  it("a reader with access still gets every block, the locked ones marked for search engines", async () => {
    for (const article of shortArticles) {
      const slug = `${article.slug}-metered`;
      // A first metered read through the gate is counted and served in full.
      const body = await (await articleResponse(request(slug), slug, "read")).text();
      expect(body).toContain('data-access="full"');
      for (const block of article.blocks) expect(body).toContain(block.text);
      const locked = body.slice(body.indexOf('class="paywalled-content"'));
      expect(locked).toContain(article.blocks.at(-1)!.text);
      if (article.shown > 0) expect(locked).not.toContain(article.blocks[0]!.text);
    }
  });
});
