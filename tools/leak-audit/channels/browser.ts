import { chromium, type Browser, type BrowserContext } from "playwright-core";
import type { AuditContext } from "../context";
import type { Channel, ChannelOptions } from "./types";

// Flags that work headless as root on this machine (see DESIGN.md's stack notes).
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export function launchChromium(options: ChannelOptions): Promise<Browser> {
  return chromium.launch({ executablePath: options.chromiumPath, args: ARGS });
}

/**
 * The front page and every published article in Chromium as the spent stranger: every response
 * the browser receives (documents, scripts, prefetches, fetches a script makes) and the page as
 * rendered at the end.
 */
function browserChannel(name: string, javaScriptEnabled: boolean): Channel {
  return {
    name,
    checks: `Chromium with JavaScript ${javaScriptEnabled ? "on" : "off"}: every response the browser receives and the rendered page`,
    async run(ctx, options) {
      const browser = await launchChromium(options);
      try {
        const context = await browser.newContext({ javaScriptEnabled });
        await withStrangerCookie(ctx, context);
        const page = await context.newPage();
        const identity = ctx.identity("stranger")!;
        const pending: Promise<void>[] = [];
        page.on("response", (response) => {
          pending.push(
            (async () => {
              const request = response.request();
              const body = await response.text().catch(() => "");
              ctx.count(name);
              const source = { channel: name, identity, url: response.url(), method: request.method(), headers: await request.allHeaders().catch(() => ({})), mayRead: identity.mayRead };
              // A response still arriving when the page closes has no headers or body left to read.
              ctx.inspect(source, body, new Headers(await response.allHeaders().catch(() => ({}))));
            })(),
          );
        });
        const paths = ["/", ...ctx.articles.filter((a) => a.published).map((a) => `/articles/${a.slug}`)];
        for (const path of paths) {
          await page.goto(ctx.url(path), { waitUntil: "load" });
          if (javaScriptEnabled) await page.waitForLoadState("networkidle", { timeout: 3_000 }).catch(() => {});
          const source = { channel: name, identity, url: `${ctx.url(path)} (rendered)`, method: "GET", headers: {}, mayRead: identity.mayRead };
          ctx.inspect(source, await page.content());
        }
        await Promise.all(pending);
      } finally {
        await browser.close();
      }
    },
  };
}

async function withStrangerCookie(ctx: AuditContext, context: BrowserContext): Promise<void> {
  const cookie = ctx.identity("stranger")?.cookie;
  if (!cookie) return;
  const [name, ...value] = cookie.split("=");
  await context.addCookies([{ name: name!, value: value.join("="), url: ctx.base.origin }]);
}

export const browserNoJs = browserChannel("browser-no-js", false);
export const browserJs = browserChannel("browser-js", true);
