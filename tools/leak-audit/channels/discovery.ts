import { inParallel, linksIn, type Channel } from "./types";

// Where sites publish their articles for machines: sitemaps, feeds, search indexes, AMP, APIs.
const PATHS = [
  "/robots.txt",
  "/sitemap.xml",
  "/sitemap_index.xml",
  "/feed",
  "/feed.xml",
  "/rss",
  "/rss.xml",
  "/atom.xml",
  "/index.xml",
  "/feed.json",
  "/search.json",
  "/search-index.json",
  "/api/articles",
  "/api/search?q=the",
  "/articles",
  "/amp",
];

/** Sitemaps, feeds and search indexes if the site has any, and every URL they list. */
export const discovery: Channel = {
  name: "discovery",
  checks: "robots.txt, sitemaps, RSS/Atom/JSON feeds, search-index JSON and article APIs, and every URL they list",
  async run(ctx) {
    const identity = ctx.identity("stranger")!;
    const listed = new Set<string>();
    await inParallel(PATHS, 6, async (path) => {
      const response = await ctx.probe({ channel: "discovery", identity, url: ctx.url(path) });
      if (response.status === 200) linksIn(response.body, ctx.url(path), ctx.base).forEach((u) => listed.add(u));
    });
    const articles = ctx.articles.map((a) => ctx.url(`/articles/${a.slug}`));
    const rest = [...listed].filter((u) => !articles.includes(u) && !/\.(svg|png|jpe?g|webp|ico)$/i.test(u)).slice(0, 200);
    await inParallel(rest, 6, async (url) => void (await ctx.probe({ channel: "discovery", identity, url })));
  },
};
