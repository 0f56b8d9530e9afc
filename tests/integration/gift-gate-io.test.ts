import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Reader } from "@/lib/access/reader";
import { resetEnvForTests } from "@/lib/env";
import { checkGift, giftRequestFrom } from "@/lib/gifts/gift-reading";
import { newGiftToken } from "@/lib/gifts/gift-token";

// The gate's gift check must cost nothing on a request without a gift. Here the app's database is
// one that cannot be reached: any query the check made would fail the call.
describe("the gift check without a database", () => {
  const saved = { url: process.env.DATABASE_URL, secret: process.env.AUTH_SECRET };
  beforeAll(async () => {
    await (await import("@/db/client")).closeDb();
    process.env.DATABASE_URL = "postgres://nobody@127.0.0.1:1/unreachable";
    process.env.AUTH_SECRET = "gift-gate-secret-gift-gate-secret-0123";
    resetEnvForTests();
  });
  afterAll(async () => {
    await (await import("@/db/client")).closeDb();
    if (saved.url === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved.url;
    process.env.AUTH_SECRET = saved.secret;
    resetEnvForTests();
  });

  const anonymous: Reader = { kind: "anonymous" };
  const subscriber: Reader = { kind: "user", userId: "u1", entitlement: { source: "subscription", until: null } };
  const ctx = (over: Partial<Parameters<typeof checkGift>[1]> = {}): Parameters<typeof checkGift>[1] => ({
    reader: anonymous,
    fullAnyway: false,
    article: { id: 7, access: "subscribers" },
    intent: "read",
    settings: { validDays: 14, browserLimit: 25 },
    now: new Date(),
    ...over,
  });
  const request = (path: string, cookie?: string) => new NextRequest(new URL(path, "http://localhost"), { headers: cookie ? { cookie } : {} });

  it("a request with neither a gift parameter nor a gift cookie carries no gift, and checking it is free", async () => {
    const plain = giftRequestFrom(request("/articles/a", "mh_meter=x; other=1"), 7);
    expect(plain).toBeNull();
    await expect(checkGift(plain, ctx())).resolves.toBeNull();
  });

  it("a prefetch, a free article and a subscriber's click on a link are not checked either", async () => {
    const link = giftRequestFrom(request(`/articles/a?gift=${newGiftToken()}`), 7);
    expect(link).not.toBeNull();
    await expect(checkGift(link, ctx({ intent: "prefetch" }))).resolves.toBeNull();
    await expect(checkGift(link, ctx({ article: { id: 7, access: "free" } }))).resolves.toBeNull();
    await expect(checkGift(link, ctx({ reader: subscriber, fullAnyway: true }))).resolves.toBeNull();
    // A malformed token is dropped before any query.
    await expect(checkGift(giftRequestFrom(request("/articles/a?gift=not-a-token"), 7), ctx())).resolves.toBeNull();
  });

  it("a real link is checked in the database (so the cases above would have failed had they queried)", async () => {
    const link = giftRequestFrom(request(`/articles/a?gift=${newGiftToken()}`), 7);
    await expect(checkGift(link, ctx())).rejects.toThrow();
  }, 20_000);
});
