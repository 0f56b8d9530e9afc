import { NextRequest } from "next/server";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openDatabase, type Db } from "@/db/client";
import { METER_COOKIE } from "@/lib/access/meter";
import { encodeGiftCookie, GIFT_COOKIE } from "@/lib/gifts/gift-cookie";
import { hashGiftToken } from "@/lib/gifts/gift-token";
import { sign } from "@/lib/crypto/signed-value";
import { adminSession, createSignedInUser, SESSION_COOKIE } from "./support/admin-harness";
import { changesHeard } from "./support/change-fence";
import { type AppDatabase, engines, flushFunnelAndClose, openAppDatabase, queryRows } from "./support/databases";
import { grantedReader, giftArticle, LAST_LINE, planWithAllowance, subscriberOn } from "./support/gift-fixtures";

// A revocation reaches every instance's gift cache through NOTIFY: in-process on PGlite, a moment
// after the commit on PostgreSQL. A second is far more than either needs and far less than the
// cache's safety-net TTL, so only the NOTIFY can pass these.
const soon = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 1_000, interval: 5 });

type Lib = {
  issue: typeof import("@/lib/gifts/issue-gift");
  allowance: typeof import("@/lib/gifts/gift-allowance");
  verify: typeof import("@/lib/gifts/verify-gift");
  revoke: typeof import("@/lib/gifts/revoke-gift");
  admin: typeof import("@/lib/admin/gifts/commands");
  stats: typeof import("@/lib/admin/gifts/queries");
  response: typeof import("@/lib/reading/article-response");
};

describe.each(engines)("gift articles on %s", (engine) => {
  let t: AppDatabase;
  let db: Db;
  let lib: Lib;
  let twoPlan: number;
  let fivePlan: number;
  const metered: Array<{ id: number; slug: string }> = [];
  let locked: { id: number; slug: string };
  let free: { id: number; slug: string };
  let admin: { id: string; email: string };

  beforeAll(async () => {
    t = await openAppDatabase(engine, { SITE_TIME_ZONE: "Europe/Berlin" });
    db = t.db;
    for (let i = 0; i < 10; i++) metered.push(await giftArticle(db, `metered-${i}`, "metered"));
    locked = await giftArticle(db, "locked", "subscribers");
    free = await giftArticle(db, "free", "free");
    twoPlan = await planWithAllowance(db, "Two gifts", 2);
    fivePlan = await planWithAllowance(db, "Five gifts", 5);
    admin = await adminSession(db, "editor@ledger.test");
    lib = {
      issue: await import("@/lib/gifts/issue-gift"),
      allowance: await import("@/lib/gifts/gift-allowance"),
      verify: await import("@/lib/gifts/verify-gift"),
      revoke: await import("@/lib/gifts/revoke-gift"),
      admin: await import("@/lib/admin/gifts/commands"),
      stats: await import("@/lib/admin/gifts/queries"),
      response: await import("@/lib/reading/article-response"),
    };
  });
  afterAll(() => flushFunnelAndClose(t));

  const give = (userId: string, articleId: number, now = new Date()) =>
    lib.issue.issueGift(db, { userId, articleId, senderName: "Maria", now, timeZone: "Europe/Berlin", validDays: 14 });
  const tokenOf = (r: Awaited<ReturnType<typeof give>>) => {
    if (!r.ok) throw new Error(`no gift: ${r.reason}`);
    return r.token;
  };
  const get = (path: string, cookies: Record<string, string> = {}, intent: "read" | "recheck" = "read") => {
    const slug = new URL(path, "http://localhost").pathname.split("/")[2]!;
    const cookie = Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join("; ");
    return lib.response.articleResponse(new NextRequest(new URL(path, "http://localhost"), { headers: cookie ? { cookie } : {} }), slug, intent);
  };
  /**
   * Opens a gift link like a fresh browser: the link's answer, then (after its redirect) the clean
   * address with the cookie it set, where the browser is counted. `cookie` is that cookie when the
   * browser was let in; `page` is what the browser shows.
   */
  const openLink = async (slug: string, token: string) => {
    const response = await get(`/articles/${slug}?gift=${token}`);
    const set = response.status === 303 ? (response.cookies.get(GIFT_COOKIE)?.value ?? null) : null;
    const page = set ? await get(`/articles/${slug}`, { [GIFT_COOKIE]: set }) : response;
    const body = await page.text();
    return { response, page, body, browserCookie: set, cookie: set && body.includes(LAST_LINE) ? set : null };
  };

  it("the allowance follows the plan; giving an article again this month is free; a grant gets the default", async () => {
    const two = await subscriberOn(db, "two@readers.test", twoPlan);
    const five = await subscriberOn(db, "five@readers.test", fivePlan);
    const granted = await grantedReader(db, "comp@readers.test");
    const plain = await createSignedInUser(db, "plain@readers.test", "reader");
    const now = new Date();
    expect(await lib.allowance.giftAllowanceFor(db, two.id, now)).toBe(2);
    expect(await lib.allowance.giftAllowanceFor(db, five.id, now)).toBe(5);
    expect(await lib.allowance.giftAllowanceFor(db, granted.id, now)).toBe(10);
    expect(await lib.allowance.giftAllowanceFor(db, plain.id, now)).toBeNull();

    expect(await give(two.id, metered[0]!.id)).toMatchObject({ ok: true, regift: false, left: 1, allowance: 2 });
    expect(await give(two.id, metered[1]!.id)).toMatchObject({ ok: true, regift: false, left: 0 });
    expect(await give(two.id, metered[2]!.id)).toMatchObject({ ok: false, reason: "used-up", allowance: 2 });
    const again = await give(two.id, metered[0]!.id);
    expect(again).toMatchObject({ ok: true, regift: true, left: 0 });
    expect(await give(plain.id, metered[0]!.id)).toEqual({ ok: false, reason: "not-entitled" });
    for (let i = 0; i < 3; i++) expect(await give(five.id, metered[i]!.id)).toMatchObject({ ok: true, left: 4 - i });
  });

  it("the month turns at midnight in the site's time zone (Europe/Berlin), not UTC", async () => {
    const user = await subscriberOn(db, "month@readers.test", twoPlan);
    const lateNovember = new Date("2026-11-30T22:00:00Z"); // 23:00 in Berlin
    expect(await give(user.id, metered[3]!.id, lateNovember)).toMatchObject({ ok: true, left: 1 });
    expect(await give(user.id, metered[4]!.id, lateNovember)).toMatchObject({ ok: true, left: 0 });
    const used = await give(user.id, metered[5]!.id, new Date("2026-11-30T22:59:59Z"));
    expect(used).toMatchObject({ ok: false, reason: "used-up" });
    expect(used.ok === false && "nextBatch" in used && used.nextBatch.toISOString()).toBe("2026-11-30T23:00:00.000Z");
    // Midnight in Berlin, still November 30th in UTC: a new batch.
    const december = await give(user.id, metered[5]!.id, new Date("2026-11-30T23:00:00Z"));
    expect(december).toMatchObject({ ok: true, regift: false, left: 1 });
    expect(december.ok && december.nextBatch.toISOString()).toBe("2026-12-31T23:00:00.000Z");
  });

  it("concurrent gifts cannot pass the allowance; concurrent re-gifts are all free", async () => {
    const user = await subscriberOn(db, "racer@readers.test", twoPlan);
    const results = await Promise.all(metered.slice(0, 8).map((a) => give(user.id, a.id)));
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(results.filter((r) => !r.ok && r.reason === "used-up")).toHaveLength(6);
    const [given2] = await queryRows<{ n: number }>(db, sql`select count(distinct article_id)::int as n from gifts where gifter_user_id = ${user.id}`);
    expect(given2?.n).toBe(2);
    const given = metered.slice(0, 8).find((_, i) => results[i]!.ok)!;
    const regifts = await Promise.all(Array.from({ length: 5 }, () => give(user.id, given.id)));
    expect(regifts.every((r) => r.ok && r.regift)).toBe(true);
  });

  it("the token is never stored in clear, nor the browser id", async () => {
    const user = await subscriberOn(db, "secret@readers.test", fivePlan);
    const token = tokenOf(await give(user.id, locked.id));
    const { cookie } = await openLink(locked.slug, token);
    expect(cookie).toBeTruthy();
    const browserId = JSON.parse(Buffer.from(cookie!.split(".")[0]!, "base64url").toString())[2] as string;
    const dump = await queryRows<{ j: string }>(
      db,
      sql`select (select coalesce(json_agg(g), '[]') from gifts g)::text || (select coalesce(json_agg(o), '[]') from gift_opens o)::text as j`,
    );
    expect(dump[0]!.j).toContain(hashGiftToken(token));
    expect(dump[0]!.j).not.toContain(token);
    expect(dump[0]!.j).not.toContain(browserId);
  });

  it("a link lets a fresh browser in: 303 to the clean address, a cookie for that article alone, full text, meter untouched", async () => {
    const user = await subscriberOn(db, "giver@readers.test", fivePlan);
    const token = tokenOf(await give(user.id, locked.id));
    const { response, cookie } = await openLink(locked.slug, token);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`http://localhost:3000/articles/${locked.slug}`);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(response.cookies.get(GIFT_COOKIE)).toMatchObject({ path: `/articles/${locked.slug}`, httpOnly: true, sameSite: "lax" });

    const read = await get(`/articles/${locked.slug}`, { [GIFT_COOKIE]: cookie! });
    const body = await read.text();
    expect(read.status).toBe(200);
    expect(read.headers.get("cache-control")).toBe("private, no-store");
    expect(body).toContain('data-access="full"');
    expect(body).toContain(LAST_LINE);
    expect(body).toContain("Maria gave you this article.");
    expect(read.cookies.get(METER_COOKIE)).toBeUndefined(); // no meter cookie: nothing was counted
    // The gift is the reader's source: conversions from here are credited to the gift link.
    expect(read.cookies.get("mh_src")).toBeDefined();

    // A metered article read by gift leaves the anonymous meter as it was.
    const meteredToken = tokenOf(await give(user.id, metered[6]!.id));
    const opened = await openLink(metered[6]!.slug, meteredToken);
    const meteredRead = await get(`/articles/${metered[6]!.slug}`, { [GIFT_COOKIE]: opened.cookie! });
    expect(await meteredRead.text()).toContain(LAST_LINE);
    expect(meteredRead.cookies.get(METER_COOKIE)).toBeUndefined();

    // The cookie is for its own article only: elsewhere it is ignored.
    const elsewhere = await get(`/articles/${metered[7]!.slug}`, { [GIFT_COOKIE]: cookie! }, "recheck");
    expect(await elsewhere.text()).not.toContain(LAST_LINE);
  });

  it("the browser limit holds under concurrent opens, and the next browser gets the paywall with the used-up line", async () => {
    await lib.admin.saveGiftSettings(db, admin, { validDays: 14, browserLimit: 3 });
    const { getReadingSettings } = await import("@/lib/settings");
    await expect.poll(async () => (await getReadingSettings()).gift.browserLimit).toBe(3);
    const user = await subscriberOn(db, "popular@readers.test", fivePlan);
    const token = tokenOf(await give(user.id, locked.id));
    const opens = await Promise.all(Array.from({ length: 10 }, () => openLink(locked.slug, token)));
    expect(opens.filter((o) => o.response.status === 303 && o.cookie)).toHaveLength(3);
    expect(opens.filter((o) => o.response.status === 303 && o.body.includes("data-gift-used-up"))).toHaveLength(7);
    const [row] = await queryRows<{ browsers_opened: number; refused: number }>(
      db,
      sql`select browsers_opened, (select count(*)::int from gift_opens o where o.gift_id = g.id and not o.admitted) as refused from gifts g where token_hash = ${hashGiftToken(token)}`,
    );
    expect(row).toEqual({ browsers_opened: 3, refused: 7 });
    const late = await openLink(locked.slug, token);
    expect(late.page.status).toBe(200);
    expect(late.body).toContain("data-gift-used-up");
    expect(late.body).toContain("data-paywall");
    expect(late.body).not.toContain(LAST_LINE);
    // The refused browser keeps its id in the cookie: opening the link again is not a new browser, and the page says why.
    const refusedCookie = late.browserCookie;
    expect(refusedCookie).toBeTruthy();
    const reload = await get(`/articles/${locked.slug}?gift=${token}`, { [GIFT_COOKIE]: refusedCookie! });
    expect(reload.status).toBe(303);
    expect(await (await get(`/articles/${locked.slug}`, { [GIFT_COOKIE]: reload.cookies.get(GIFT_COOKIE)!.value })).text()).toContain("data-gift-used-up");
    expect(await (await get(`/articles/${locked.slug}`, { [GIFT_COOKIE]: refusedCookie! })).text()).toContain("data-gift-used-up");
    // A browser already let in is still in.
    expect(await (await get(`/articles/${locked.slug}`, { [GIFT_COOKIE]: opens.find((o) => o.cookie)!.cookie! })).text()).toContain(LAST_LINE);
    const flagged = await lib.stats.flaggedGiftLinks(db);
    expect(flagged.some((f) => f.browsers === 11 && f.refused === 8)).toBe(true); // the reloads added none
    await lib.admin.saveGiftSettings(db, admin, { validDays: 14, browserLimit: 25 });
    await expect.poll(async () => (await getReadingSettings()).gift.browserLimit).toBe(25);
  });

  it("bad input is ignored: the normal decision, never a 500, no gift cookie", async () => {
    const user = await subscriberOn(db, "bad@readers.test", fivePlan);
    const token = tokenOf(await give(user.id, locked.id));
    const otherCookie = (await openLink(locked.slug, token)).cookie!;
    const forged = sign(JSON.stringify([1, locked.id, "A".repeat(22)]), Buffer.alloc(32, 7));
    const unsigned = Buffer.from(JSON.stringify([1, locked.id, "A".repeat(22)])).toString("base64url");
    const cases: Array<[string, string, Record<string, string>]> = [
      ["too short", `/articles/${locked.slug}?gift=abc`, {}],
      ["too long", `/articles/${locked.slug}?gift=${token}A`, {}],
      ["wrong alphabet", `/articles/${locked.slug}?gift=${encodeURIComponent("%%%%%%%%%%%%%%%%%%%%%%")}`, {}],
      ["unknown token", `/articles/${locked.slug}?gift=${"A".repeat(21)}w`, {}],
      ["another article's token", `/articles/${metered[8]!.slug}?gift=${token}`, {}],
      ["two gift parameters", `/articles/${locked.slug}?gift=x&gift=${token}`, {}],
      ["forged cookie", `/articles/${locked.slug}`, { [GIFT_COOKIE]: forged }],
      ["unsigned cookie", `/articles/${locked.slug}`, { [GIFT_COOKIE]: unsigned }],
      ["garbage cookie", `/articles/${locked.slug}`, { [GIFT_COOKIE]: "%E0%A4%A" }],
      ["another article's cookie", `/articles/${metered[9]!.slug}`, { [GIFT_COOKIE]: otherCookie, mh_meter: "x" }],
    ];
    for (const [name, path, cookies] of cases) {
      const response = await get(path, cookies);
      const body = await response.text();
      expect(response.status, name).toBe(200);
      expect(response.cookies.get(GIFT_COOKIE), name).toBeUndefined();
      expect(body, name).not.toContain("data-gift-banner");
      if (path.startsWith(`/articles/${locked.slug}`)) expect(body, name).not.toContain(LAST_LINE);
    }
    // A gift parameter on a free article: the free article, as usual.
    const onFree = await get(`/articles/${free.slug}?gift=${token}`);
    expect(onFree.status).toBe(200);
    expect(await onFree.text()).toContain(LAST_LINE);
    expect(onFree.cookies.get(GIFT_COOKIE)).toBeUndefined();
    // The other article's token did not count a browser there.
    const [row] = await queryRows<{ n: number }>(db, sql`select browsers_opened as n from gifts where token_hash = ${hashGiftToken(token)}`);
    expect(row?.n).toBe(1);
  });

  it("revocation by the gifter is announced and takes effect at once; only the gifter's own gift can be revoked", async () => {
    const user = await subscriberOn(db, "revoker@readers.test", fivePlan);
    const stranger = await subscriberOn(db, "stranger@readers.test", fivePlan);
    const result = await give(user.id, locked.id);
    const { cookie } = await openLink(locked.slug, tokenOf(result));
    const read = async () => (await get(`/articles/${locked.slug}`, { [GIFT_COOKIE]: cookie! })).text();
    expect(await read()).toContain(LAST_LINE);
    expect(await lib.revoke.revokeOwnGift(db, stranger.id, result.ok ? result.giftId : 0)).toEqual({ revoked: false });
    expect(await lib.revoke.revokeOwnGift(db, user.id, result.ok ? result.giftId : 0)).toEqual({ revoked: true });
    await soon(async () => expect(await read()).not.toContain(LAST_LINE));
    expect(await read()).toContain("data-paywall");
    const reopened = await openLink(locked.slug, tokenOf(result));
    expect(reopened.browserCookie).toBeNull();
    expect(reopened.body).not.toContain(LAST_LINE);
  });

  it.runIf(engine === "postgres")("revocation made through another instance's connection is seen by this one on the next request", async () => {
    const user = await subscriberOn(db, "elsewhere@readers.test", fivePlan);
    const result = await give(user.id, locked.id);
    const { cookie } = await openLink(locked.slug, tokenOf(result));
    expect(await (await get(`/articles/${locked.slug}`, { [GIFT_COOKIE]: cookie! })).text()).toContain(LAST_LINE);
    const other = await openDatabase({ url: t.url });
    try {
      expect(await lib.admin.revokeGiftAsAdmin(other.db, admin, result.ok ? result.giftId : 0)).toEqual({ revoked: true });
    } finally {
      await other.close();
    }
    await soon(async () => expect(await (await get(`/articles/${locked.slug}`, { [GIFT_COOKIE]: cookie! })).text()).not.toContain(LAST_LINE));
  });

  it("an anonymous recipient's next pages come from the gift cache: a change nobody announces is not seen, an announced one is", async () => {
    const user = await subscriberOn(db, "cached@readers.test", fivePlan);
    const result = await give(user.id, locked.id);
    const giftId = result.ok ? result.giftId : 0;
    const { cookie } = await openLink(locked.slug, tokenOf(result));
    const read = async () => (await get(`/articles/${locked.slug}`, { [GIFT_COOKIE]: cookie! })).text();
    expect(await read()).toContain(LAST_LINE);
    // Revoked by hand in psql: unannounced, so the cache (really) still holds the gift.
    await db.execute(sql`update gifts set revoked_at = now() where id = ${giftId}`);
    await changesHeard(db);
    expect(await read()).toContain(LAST_LINE);
    const { announceChange } = await import("@/lib/cache/invalidation");
    await db.transaction(async (tx) => announceChange(tx as unknown as Db, "gifts", giftId));
    await soon(async () => expect(await read()).not.toContain(LAST_LINE));
  });

  it("a recipient who registers and then subscribes after opening is credited to the gift, once each", async () => {
    const user = await subscriberOn(db, "converter@readers.test", fivePlan);
    const result = await give(user.id, metered[9]!.id);
    const { cookie } = await openLink(metered[9]!.slug, tokenOf(result));
    const recipient = await createSignedInUser(db, "recipient@readers.test", "reader");
    const asRegistered = { [GIFT_COOKIE]: cookie!, [SESSION_COOKIE]: recipient.token };
    expect(await (await get(`/articles/${metered[9]!.slug}`, asRegistered)).text()).toContain(LAST_LINE);
    await get(`/articles/${metered[9]!.slug}`, asRegistered);
    // Subscribed: a new session, so the reader is looked up afresh.
    const subscribed = await subscriberOn(db, "recipient2@readers.test", fivePlan);
    await db.execute(sql`update sessions set user_id = ${recipient.id} where session_token = ${subscribed.token}`);
    await db.execute(sql`update subscriptions set user_id = ${recipient.id} where user_id = ${subscribed.id}`);
    const read = await get(`/articles/${metered[9]!.slug}`, { [GIFT_COOKIE]: cookie!, [SESSION_COOKIE]: subscribed.token });
    expect(await read.text()).toContain("Gift this article");
    expect(read.cookies.get(GIFT_COOKIE)).toMatchObject({ value: "", maxAge: 0 }); // its work is done
    const rows = await queryRows<{ kind: string }>(db, sql`select kind from gift_conversions where gift_id = ${result.ok ? result.giftId : 0} order by kind`);
    expect(rows.map((r) => r.kind)).toEqual(["registered", "subscribed"]);
    const byArticle = await lib.stats.giftStatsByArticle(db);
    expect(byArticle.find((a) => a.articleId === metered[9]!.id)).toMatchObject({ registrations: 1, subscriptions: 1 });
    const byGifter = await lib.stats.giftStatsByGifter(db);
    expect(byGifter.find((g) => g.userId === user.id)).toMatchObject({ gifts: 1, opens: 1, registrations: 1, subscriptions: 1 });
  });

  it("publisher links: no browser limit, shown again, rotate stops the old link, revoke all stops every one; plan allowances are set by the admin", async () => {
    const queries = await import("@/lib/admin/gifts/queries");
    await lib.admin.saveGiftSettings(db, admin, { validDays: 14, browserLimit: 2 });
    const { getReadingSettings } = await import("@/lib/settings");
    await expect.poll(async () => (await getReadingSettings()).gift.browserLimit).toBe(2);
    const first = await lib.admin.rotatePublisherLink(db, admin, locked.id);
    expect((await queries.livePublisherLink(db, locked.id))?.token).toBe(first.token);
    for (let i = 0; i < 4; i++) expect((await openLink(locked.slug, first.token)).response.status, `browser ${i + 1}`).toBe(303);
    expect((await queries.livePublisherLink(db, locked.id))?.opens).toBe(4);

    const second = await lib.admin.rotatePublisherLink(db, admin, locked.id);
    expect(second.token).not.toBe(first.token);
    expect((await openLink(locked.slug, first.token)).cookie).toBeNull();
    expect((await openLink(locked.slug, second.token)).cookie).toBeTruthy();
    const other = await lib.admin.rotatePublisherLink(db, admin, metered[0]!.id);
    expect(await lib.admin.revokeAllPublisherLinks(db, admin)).toEqual({ revoked: 2 });
    expect((await openLink(locked.slug, second.token)).cookie).toBeNull();
    expect((await openLink(metered[0]!.slug, other.token)).cookie).toBeNull();
    expect(await queries.livePublisherLink(db, locked.id)).toBeNull();
    await lib.admin.saveGiftSettings(db, admin, { validDays: 14, browserLimit: 25 });

    const user = await subscriberOn(db, "planchange@readers.test", twoPlan);
    expect(await lib.admin.setPlanGiftAllowance(db, admin, { planId: twoPlan, giftAllowance: 4 })).toEqual({ found: true });
    expect(await lib.allowance.giftAllowanceFor(db, user.id, new Date())).toBe(4);
    expect(await lib.admin.setPlanGiftAllowance(db, admin, { planId: 999_999, giftAllowance: 4 })).toEqual({ found: false });
    await lib.admin.setPlanGiftAllowance(db, admin, { planId: twoPlan, giftAllowance: 2 });
  });

  it("a cookie minted for one gift id lets in nobody once that gift is revoked, nor on a recheck before it was counted", async () => {
    const user = await subscriberOn(db, "minted@readers.test", fivePlan);
    const result = await give(user.id, locked.id);
    const { cookie } = await openLink(locked.slug, tokenOf(result));
    const [, , browserId] = JSON.parse(Buffer.from(cookie!.split(".")[0]!, "base64url").toString()) as [number, number, string];
    // Validly signed for the gift, but for a browser never counted: a recheck (no proxy) only looks.
    const fresh = encodeGiftCookie({ giftId: result.ok ? result.giftId : 0, articleId: locked.id, browserId: "B".repeat(22) });
    expect(await (await get(`/articles/${locked.slug}`, { [GIFT_COOKIE]: fresh }, "recheck")).text()).not.toContain(LAST_LINE);
    await lib.revoke.revokeOwnGift(db, user.id, result.ok ? result.giftId : 0);
    const again = encodeGiftCookie({ giftId: result.ok ? result.giftId : 0, articleId: locked.id, browserId });
    await soon(async () => expect(await (await get(`/articles/${locked.slug}`, { [GIFT_COOKIE]: again })).text()).not.toContain(LAST_LINE));
  });
});
