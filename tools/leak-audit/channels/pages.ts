import type { Identity } from "../context";
import { inParallel, linksIn, type Channel } from "./types";

const START = ["/", "/subscribe", "/signin", "/account"];
const MAX_PAGES = 200;
// Images and fonts carry no text; scripts and stylesheets might (a body baked into a bundle).
const SKIP = /\.(svg|png|jpe?g|gif|webp|avif|ico|woff2?|ttf)(\?|$)|\/_next\/image|\/api\/auth\/signout/i;

/**
 * Every page a reader can reach from the front page (links, scripts, stylesheets, two levels
 * deep), as the spent stranger and the registered reader.
 */
export const pages: Channel = {
  name: "pages",
  checks: "every link, script and stylesheet reachable from the front page, two levels deep",
  async run(ctx) {
    const readers = [ctx.identity("stranger"), ctx.identity("registered")].filter((i): i is Identity => !!i);
    for (const identity of readers) {
      const seen = new Set<string>();
      let level = START.map((p) => ctx.url(p));
      for (let depth = 0; depth <= 2 && level.length > 0; depth++) {
        const next: string[] = [];
        const todo = level.filter((u) => !seen.has(u) && !SKIP.test(u)).slice(0, MAX_PAGES - seen.size);
        todo.forEach((u) => seen.add(u));
        await inParallel(todo, 6, async (url) => {
          const response = await ctx.probe({ channel: "pages", identity, url });
          if (/html|xml|text\/plain/.test(response.headers.get("content-type") ?? "")) next.push(...linksIn(response.body, url, ctx.base));
        });
        level = next;
      }
    }
  },
};
