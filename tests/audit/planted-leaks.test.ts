import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { articles } from "@/db/schema";
import { PUBLIC_FIELDS } from "@/lib/content/public-field-repeats";
import { slugify } from "@/lib/content/slug";
import { loadAuditArticles, type AuditArticle } from "@/lib/leak-audit/canaries";
import type { Finding } from "@/tools/leak-audit/context";
import { runAudit, type AuditReport } from "@/tools/leak-audit/run-audit";
import { startAuditSite, type AuditSite } from "@/tools/leak-audit/site";
import { startPlantingMailRelay } from "./support/mail-relay";
import { startPlantingProxy, type Plant } from "./support/planting-proxy";

/** The locked text the plants copy: a subscribers-only article nobody in the audit may read. */
const plantedArticle = (list: AuditArticle[]) => list.find((a) => a.access === "subscribers" && a.canaries.length > 0)!;

/**
 * An editor's mistake, in the database before the site starts: a sentence of the article's locked
 * part pasted into each of its public fields. Returns the article's id.
 */
async function pasteLockedTextIntoPublicFields(db: Db): Promise<number> {
  const article = plantedArticle(await loadAuditArticles(db));
  const sentence = article.canaries[0]!;
  await db
    .update(articles)
    .set({ title: `Planted: ${sentence}`, dek: sentence, heroImage: "/images/demo/harbour-bridge.svg", heroImageAlt: sentence, heroImageCredit: sentence, slug: slugify(sentence).slice(0, 100) })
    .where(eq(articles.id, article.id));
  return article.id;
}

const isArticlePage = (url = "") => /^\/articles\/[^/?.]+$/.test(url);
const beforeBodyEnd = (body: string, addition: string) => body.replace("</body>", `${addition}</body>`);

function plants(leak: string): Plant[] {
  return [
    { name: "text hidden with CSS on the front page", matches: (r) => r.url === "/", rewrite: (a) => ({ ...a, body: beforeBodyEnd(a.body, `<div hidden style="display:none">${leak}</div>`) }) },
    { name: "a full-text feed", matches: (r) => r.url === "/feed.xml", respond: () => ({ headers: { "content-type": "application/rss+xml" }, body: `<rss><channel><item><description>${leak}</description></item></channel></rss>` }) },
    // The site redirects it; a planted route answers it with the article's text instead.
    { name: "the trailing-slash URL", matches: (r) => /^\/articles\/[^/]+\/$/.test(r.url ?? ""), respond: () => ({ headers: { "content-type": "text/html" }, body: `<html><body><p>${leak}</p></body></html>` }) },
    { name: "RSC: 1", matches: (r) => r.headers.rsc === "1" && isArticlePage(r.url), rewrite: (a) => ({ ...a, body: `0:${JSON.stringify(leak)}` }) },
    { name: "a spoofed Googlebot", matches: (r) => /Googlebot/.test(r.headers["user-agent"] ?? "") && isArticlePage(r.url), rewrite: (a) => ({ ...a, body: beforeBodyEnd(a.body, `<p>${leak}</p>`) }) },
    { name: "og:description", matches: (r) => isArticlePage(r.url), rewrite: (a) => ({ ...a, body: a.body.replace(/<meta property="og:description" content="[^"]*">/, `<meta property="og:description" content="${leak}">`) }) },
    { name: "a shared cache may keep full text", matches: (r) => isArticlePage(r.url), rewrite: (a) => ({ ...a, headers: { ...a.headers, "cache-control": "public, s-maxage=600" } }) },
    // Only a browser without JavaScript loads a frame inside <noscript>…
    { name: "a noscript frame", matches: (r) => r.url === "/", rewrite: (a) => ({ ...a, body: beforeBodyEnd(a.body, `<noscript><iframe title="planted" src="/__plant/frame"></iframe></noscript>`) }) },
    { name: "the noscript frame's page", matches: (r) => r.url === "/__plant/frame", respond: () => ({ headers: { "content-type": "text/html" }, body: `<p>${leak}</p>` }) },
    // …and only one running scripts fetches a URL a script builds.
    { name: "a script's fetch", matches: (r) => r.url === "/", rewrite: (a) => ({ ...a, body: beforeBodyEnd(a.body, `<script>fetch("/__pl" + "ant/data")</script>`) }) },
    { name: "the script's data", matches: (r) => r.url === "/__plant/data", respond: () => ({ headers: { "content-type": "text/plain" }, body: leak }) },
  ];
}

// The audit against the production build with a leak planted in each channel by a proxy in front
// of the site and an SMTP relay in front of its mail sink: the site itself is unchanged and has
// nothing test-only in it. The same audit without the plants is `npm run audit:leaks`, green in CI.
describe("the leak audit catches a leak planted in each channel", () => {
  let site: AuditSite;
  let relay: Awaited<ReturnType<typeof startPlantingMailRelay>> | undefined;
  let proxy: Awaited<ReturnType<typeof startPlantingProxy>> | undefined;
  let planted: AuditArticle;
  let report: AuditReport;

  beforeAll(async () => {
    let fieldsPlantedIn = 0;
    site = await startAuditSite({
      prepare: async (db) => {
        fieldsPlantedIn = await pasteLockedTextIntoPublicFields(db);
      },
      mailVia: async (sinkUrl, articles) => {
        relay = await startPlantingMailRelay(sinkUrl, articles.find((a) => a.id === fieldsPlantedIn)!.canaries.join(". "));
        return relay.url;
      },
    });
    planted = site.articles.find((a) => a.id === fieldsPlantedIn)!;
    proxy = await startPlantingProxy(site.url, plants(planted.canaries.join(". ")));
    report = await runAudit({ base: proxy.url, articles: site.articles, sessionToken: site.sessionToken, mailboxDir: site.mailboxDir });
  }, 240_000);

  afterAll(async () => {
    await proxy?.close();
    await relay?.close();
    await site?.close();
  });

  // Each plant is found by its own channel, at the URL (or in the place) it was planted.
  it.each([
    ["pages", (f: Finding) => new URL(f.url).pathname === "/" && f.where === "HTML body"],
    ["discovery", (f: Finding) => f.url.endsWith("/feed.xml")],
    ["article-variants", (f: Finding) => f.url.endsWith("/")],
    ["request-headers", (f: Finding) => f.headers.rsc === "1"],
    ["request-headers", (f: Finding) => /Googlebot/.test(f.headers["user-agent"] ?? "")],
    ["metadata", (f: Finding) => f.where === "meta tag og:description"],
    ["browser-no-js", (f: Finding) => f.url.endsWith("/__plant/frame")],
    ["browser-js", (f: Finding) => f.url.endsWith("/__plant/data")],
    ["email", (f: Finding) => f.url.startsWith("mail to ")],
  ] as const)("%s names the planted article", (channel, plantedHere) => {
    const found = report.findings.filter((f) => f.channel === channel && f.kind === "leak" && f.article.id === planted.id);
    expect(found.filter(plantedHere), JSON.stringify(found.map((f) => [f.url, f.where, f.headers]))).not.toEqual([]);
  });

  // Pasted by an editor into each public field: named by the article, the field and the sentence.
  it.each(Object.entries(PUBLIC_FIELDS))("public-fields names the %s", (_, label) => {
    const found = report.findings.filter((f) => f.channel === "public-fields" && f.article.id === planted.id && f.where === label);
    expect(found, JSON.stringify(report.findings.filter((f) => f.channel === "public-fields"))).toHaveLength(1);
    expect(found[0]!.canary.length).toBeGreaterThan(20);
  });

  it("caching names full text a shared cache may keep", () => {
    expect(report.findings.filter((f) => f.channel === "caching").map((f) => f.where)).toContainEqual(expect.stringContaining("public, s-maxage=600"));
  });

  it("finds nothing the plants did not put there, and fails", () => {
    expect(report.findings.filter((f) => f.kind === "leak" && f.article.id !== planted.id)).toEqual([]);
    expect(report.ok).toBe(false);
  });
});
