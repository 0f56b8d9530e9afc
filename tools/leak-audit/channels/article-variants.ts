import type { Identity } from "../context";
import { inParallel, type Channel } from "./types";

const percentEncoded = (slug: string) => [...slug].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`).join("");

/** The same article under every spelling of its URL a router or cache might treat differently. */
export function articleVariants(slug: string): Array<{ path: string; method: "GET" | "HEAD" }> {
  const p = `/articles/${slug}`;
  return [
    { path: p, method: "GET" },
    { path: `${p}/`, method: "GET" },
    { path: `/articles/${percentEncoded(slug)}`, method: "GET" },
    { path: p.toUpperCase(), method: "GET" },
    { path: `/articles/${slug.toUpperCase()}`, method: "GET" },
    { path: `${p}?_rsc=1x2y3`, method: "GET" },
    { path: `${p}?amp=1`, method: "GET" },
    { path: `/amp${p}`, method: "GET" },
    { path: `${p}.rsc`, method: "GET" },
    { path: `${p}/index.html`, method: "GET" },
    { path: `${p}?format=json`, method: "GET" },
    { path: p, method: "HEAD" },
  ];
}

/** Every article (drafts and scheduled ones too) under every URL variant, as each reader. */
export const articleVariantsChannel: Channel = {
  name: "article-variants",
  checks: "each article plain, with a trailing slash, percent-encoded, in upper case, with ?_rsc=, AMP, .rsc, index.html, ?format=json, and HEAD",
  async run(ctx) {
    const readers = [ctx.identity("stranger"), ctx.identity("registered")].filter((i): i is Identity => !!i);
    const probes = ctx.articles.flatMap((a) => articleVariants(a.slug).flatMap((v) => readers.map((identity) => ({ ...v, identity }))));
    await inParallel(probes, 6, async ({ path, method, identity }) => {
      await ctx.probe({ channel: "article-variants", identity, url: ctx.url(path), method });
    });
  },
};
