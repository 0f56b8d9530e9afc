import { inParallel, linksIn, type Channel } from "./types";

const HEAD_PARTS = /<title>[^<]*<\/title>|<meta\b[^>]*>|<link\b[^>]*>|<script[^>]*application\/ld\+json[^>]*>[\s\S]*?<\/script>/gi;

/** What a page tells machines about itself: title, meta tags (Open Graph, Twitter), links, JSON-LD. */
export function metadataOf(body: string): string {
  return [...body.matchAll(HEAD_PARTS)].map((m) => m[0]).join("\n");
}

/**
 * Each article's metadata on its own, as the spent stranger (the preview a sharer or a search
 * engine sees), and the oEmbed answer where the page links one.
 */
export const metadata: Channel = {
  name: "metadata",
  checks: "title, meta description, Open Graph, Twitter cards, JSON-LD and oEmbed of every article",
  async run(ctx) {
    const identity = ctx.identity("stranger")!;
    await inParallel(ctx.articles, 4, async (article) => {
      const url = ctx.url(`/articles/${article.slug}`);
      const headers: Record<string, string> = identity.cookie ? { cookie: identity.cookie } : {};
      ctx.count("metadata");
      const meta = metadataOf(await (await fetch(url, { headers })).text());
      ctx.inspect({ channel: "metadata", identity, url, method: "GET", headers, mayRead: identity.mayRead }, meta);
      const oembed = /<link\b[^>]*type="application\/json\+oembed"[^>]*>/i.exec(meta)?.[0];
      for (const link of oembed ? linksIn(oembed, url, ctx.base) : []) await ctx.probe({ channel: "metadata", identity, url: link });
    });
  },
};
