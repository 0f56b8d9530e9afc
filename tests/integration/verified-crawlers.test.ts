import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { createCrawlerVerifier } from "@/lib/crawlers/verify-google";
import { PEER_HEADER, peerHeaderValue } from "@/lib/http/client-address";
import { fixtureText } from "./support/admin-harness";
import { type AppDatabase, engines, openAppDatabase } from "./support/databases";

const GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
const LAST = "expects to have cleared the backlog by the middle of next week";

// The reading path with VERIFIED_CRAWLERS=google, on a DNS of our own (no network): the process's
// verifier is the real one, given a resolver that knows one Googlebot address.
describe.each(engines)("verified crawlers on the reading path on %s", (engine) => {
  let t: AppDatabase;
  let slug: string;
  let articleResponse: typeof import("@/lib/reading/article-response").articleResponse;

  beforeAll(async () => {
    t = await openAppDatabase(engine, { VERIFIED_CRAWLERS: "google" });
    (globalThis as Record<symbol, unknown>)[Symbol.for("masthead.crawler-verifier")] = createCrawlerVerifier({
      reverse: async (address) => (address === "66.249.66.1" ? ["crawl-66-249-66-1.googlebot.com"] : []),
      forward: async (host) => (host === "crawl-66-249-66-1.googlebot.com" ? ["66.249.66.1"] : []),
    });
    const { importPlainTextArticle } = await import("@/lib/content/import-article");
    slug = (await importPlainTextArticle(t.db, fixtureText, { slug: "locked-story", access: "subscribers" })).slug;
    ({ articleResponse } = await import("@/lib/reading/article-response"));
  });
  afterAll(async () => {
    delete (globalThis as Record<symbol, unknown>)[Symbol.for("masthead.crawler-verifier")];
    delete process.env.VERIFIED_CRAWLERS;
    resetEnvForTests();
    await t.close();
  });

  /** A request from a socket at `peer` (as the server's stamp marks it). */
  const from = (peer: string, headers: Record<string, string> = {}) => ({ ...headers, [PEER_HEADER]: peerHeaderValue(peer) });
  const read = async (headers: Record<string, string>) => {
    const response = await articleResponse(new NextRequest(new URL(`/articles/${slug}`, "http://localhost"), { headers }), slug, "read");
    return { body: await response.text(), cookie: response.headers.get("set-cookie") };
  };

  it("serves a subscribers-only story in full to a Googlebot whose address DNS proves, without a meter", async () => {
    const { body, cookie } = await read(from("66.249.66.1", { "user-agent": GOOGLEBOT }));
    expect(body).toContain(LAST);
    expect(cookie).toBeNull();
  });

  it("behind one trusted proxy (TRUSTED_PROXIES=1), proves the address that proxy appended, and only that one", async () => {
    process.env.TRUSTED_PROXIES = "1";
    resetEnvForTests();
    try {
      expect((await read(from("10.0.0.2", { "user-agent": GOOGLEBOT, "x-forwarded-for": "66.249.66.1" }))).body).toContain(LAST);
      expect((await read(from("10.0.0.2", { "user-agent": GOOGLEBOT, "x-forwarded-for": "66.249.66.1, 203.0.113.5" }))).body).not.toContain(LAST);
    } finally {
      delete process.env.TRUSTED_PROXIES;
      resetEnvForTests();
    }
  });

  it("gives the preview to a spoofed Googlebot: Google's address in X-Forwarded-For with no proxy trusted, another address, or no Googlebot claim", async () => {
    const spoofs: Array<Record<string, string>> = [
      from("203.0.113.5", { "user-agent": GOOGLEBOT, "x-forwarded-for": "66.249.66.1" }),
      from("203.0.113.5", { "user-agent": GOOGLEBOT, "x-forwarded-for": "66.249.66.1, 203.0.113.5" }),
      from("203.0.113.5", { "user-agent": GOOGLEBOT, referer: "https://www.google.com/" }),
      from("66.249.66.1", { "user-agent": "Mozilla/5.0 Chrome/131.0" }),
      // No stamp (a request accepted before the server installed it): no address, nothing proven.
      { "user-agent": GOOGLEBOT, "x-forwarded-for": "66.249.66.1" },
    ];
    for (const headers of spoofs) {
      const { body } = await read(headers);
      expect(body, JSON.stringify(headers)).toContain('data-access="preview"');
      expect(body).not.toContain(LAST);
    }
  });

  it("with the setting off, even a proven Googlebot gets the preview", async () => {
    process.env.VERIFIED_CRAWLERS = "";
    resetEnvForTests();
    try {
      expect((await read(from("66.249.66.1", { "user-agent": GOOGLEBOT }))).body).not.toContain(LAST);
    } finally {
      process.env.VERIFIED_CRAWLERS = "google";
      resetEnvForTests();
    }
  });
});
