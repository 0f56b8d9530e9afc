import type { AuditContext } from "../context";

/** What a channel may need beyond the site: where the site's mail lands, whether Chromium may run. */
export interface ChannelOptions {
  mailboxDir: string | null;
  chromiumPath: string;
}

/** One way paid text could leave the server. New channels (newsletters, gifts…) join the list in index.ts. */
export interface Channel {
  name: string;
  /** One line for the report: what this channel tries. */
  checks: string;
  run(ctx: AuditContext, options: ChannelOptions): Promise<void>;
}

/** Same-origin URLs a document links to (`href`, `src`, `<loc>`, `Sitemap:`), without fragments. */
export function linksIn(body: string, from: string, base: URL): string[] {
  const found = new Set<string>();
  const patterns = [/(?:href|src)\s*=\s*["']([^"'#]+)/gi, /<loc>\s*([^<\s]+)\s*<\/loc>/gi, /<link>\s*([^<\s]+)\s*<\/link>/gi, /^sitemap:\s*(\S+)/gim];
  for (const pattern of patterns) {
    for (const match of body.matchAll(pattern)) {
      try {
        const url = new URL(match[1]!.replace(/&amp;/g, "&"), from);
        url.hash = "";
        if (url.origin === base.origin) found.add(url.toString());
      } catch {
        // Not a URL.
      }
    }
  }
  return [...found];
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
