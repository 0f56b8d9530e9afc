import { NextRequest } from "next/server";
import { renderToStaticMarkup } from "react-dom/server";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { userMeters } from "@/db/schema";
import { adminSession, cookieState, createSignedInUser, fixtureText, NOT_FOUND_DIGEST, SESSION_COOKIE, signOutAndClose } from "./support/admin-harness";
import { type AppDatabase, engines, openAppDatabase, queryRows } from "./support/databases";

vi.mock("next/headers", async () => (await import("./support/next-request")).nextHeaders());

const jar = (cookies: Record<string, string>) => ({ get: (name: string) => (name in cookies ? { value: cookies[name]! } : undefined) });

describe.each(engines)("the access trace on %s", (engine) => {
  let t: AppDatabase;
  let db: Db;
  let slug: string;
  let articleId: number;
  let reader: { id: string; token: string };
  let adminToken: string;

  const meterRows = () => db.select().from(userMeters);
  const funnelCount = async () => Number((await queryRows<{ n: number }>(db, sql`select count(*)::int as n from funnel_events`))[0]!.n);
  const flush = async () => (await import("@/lib/analytics/funnel")).flushFunnelEvents();

  beforeAll(async () => {
    t = await openAppDatabase(engine);
    db = t.db;
    const { importPlainTextArticle } = await import("@/lib/content/import-article");
    ({ slug, id: articleId } = await importPlainTextArticle(db, fixtureText, {}));
    reader = await createSignedInUser(db, "reader@ledger.test", "reader");
    adminToken = (await adminSession(db)).token;
    await db.insert(userMeters).values({ userId: reader.id, windowStart: Math.floor(Date.now() / 1000) - 86_400, articleIds: [9001] });
  });
  afterAll(() => signOutAndClose(t));

  it("traces a read that would count without spending the credit or counting a view", async () => {
    const { traceReading } = await import("@/lib/trace/trace-reading");
    const { whyForReader } = await import("@/lib/trace/reader-why");
    const [meterBefore, funnelBefore] = [await meterRows(), await funnelCount()];
    const trace = await traceReading(db, { kind: "user", userId: reader.id }, slug, "read");
    expect(trace?.decision).toMatchObject({ level: "full", reason: "counted" });
    const why = await whyForReader(jar({ [SESSION_COOKIE]: reader.token }), slug);
    expect(why?.explanation.summary).toBe("You can read this article: opening it uses one of your free articles.");
    const anonymous = await whyForReader(jar({}), slug);
    expect(anonymous?.explanation.summary).toMatch(/uses one of your free articles/);
    await flush();
    expect(await meterRows()).toEqual(meterBefore);
    expect(await funnelCount()).toBe(funnelBefore);
  });

  it("the same read through the gate spends the credit and counts the view (so the check above can fail)", async () => {
    const { articleResponse } = await import("@/lib/reading/article-response");
    const request = new NextRequest(new URL(`/articles/${slug}`, "http://localhost"), { headers: { cookie: `${SESSION_COOKIE}=${reader.token}` } });
    const [meterBefore, funnelBefore] = [await meterRows(), await funnelCount()];
    expect(await (await articleResponse(request, slug, "read")).text()).toContain('data-access="full"');
    await flush();
    expect((await meterRows())[0]!.articleIds).toEqual([...meterBefore[0]!.articleIds, articleId]);
    expect(await funnelCount()).toBeGreaterThan(funnelBefore);
  });

  it("resolves a reader's trace id only for admins, and refuses a forged one", async () => {
    const { whyForReader } = await import("@/lib/trace/reader-why");
    const { default: TracePage } = await import("@/app/admin/trace/page");
    const traceId = (await whyForReader(jar({ [SESSION_COOKIE]: reader.token }), slug))!.traceId;
    const render = async (params: Record<string, string>) => renderToStaticMarkup(await TracePage({ searchParams: Promise.resolve(params) }));
    for (const token of [null, reader.token, "f".repeat(48)]) {
      cookieState.sessionToken = token;
      await expect(render({ reader: traceId })).rejects.toMatchObject({ digest: NOT_FOUND_DIGEST });
    }
    cookieState.sessionToken = adminToken;
    const page = await render({ reader: traceId });
    expect(page).toContain("reader@ledger.test (signed in)");
    expect(page).toContain(`#${articleId} ${slug}`);
    expect(page).toMatch(/<strong>already-counted<\/strong>/);
    const [body] = traceId.split(".");
    expect(await render({ reader: `${body}.AAAAAAAAAAAAAAAAAAAAAA` })).toContain("Not a trace id from this site");
  });

  it("an anonymous reader's trace id carries their verified meter to the admin", async () => {
    const { encodeMeter, METER_COOKIE } = await import("@/lib/access/meter");
    const { keyFor } = await import("@/lib/server-secret");
    const { whyForReader } = await import("@/lib/trace/reader-why");
    const { adminTrace } = await import("@/lib/trace/admin-trace");
    const spent = encodeMeter({ windowStart: Math.floor(Date.now() / 1000) - 3_600, articleIds: [9001, 9002, 9003] }, keyFor("meter"));
    const why = await whyForReader(jar({ [METER_COOKIE]: spent }), slug);
    expect(why?.explanation.summary).toMatch(/^You have read 3 of your 3 free articles since/);
    const outcome = await adminTrace({ reader: why!.traceId, article: "", intent: "read" });
    expect(outcome).toMatchObject({ ok: true, readerLabel: "anonymous reader from a trace id" });
    if (outcome.ok) expect(outcome.trace.decision.reason).toBe("meter-exhausted");
  });
});
