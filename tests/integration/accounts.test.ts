import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Auth } from "@auth/core";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { encodeMeter } from "@/lib/access/meter";
import { loadUserMeter, mergeDeviceMeter } from "@/lib/access/user-meter";
import { hitRateLimit, rateLimitKey } from "@/lib/http/rate-limit";
import { messageLinks, waitForMessage } from "@/lib/mail/mailbox";
import { startSmtpSink } from "@/tools/smtp-sink";
import { type AppDatabase, engines, openAppDatabase } from "./support/databases";

const SITE = "http://ledger.test";
const tables = { usersTable: users, accountsTable: accounts, sessionsTable: sessions, verificationTokensTable: verificationTokens };

describe.each(engines)("accounts on %s", (engine) => {
  let t: AppDatabase;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  const mailbox = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-mail-"));

  beforeAll(async () => {
    sink = await startSmtpSink({ dir: mailbox });
    t = await openAppDatabase(engine, { SITE_URL: SITE, EMAIL_SERVER: sink.url, ADMIN_EMAILS: "boss@ledger.test" });
  });
  afterAll(async () => {
    await sink.close();
    await t.close();
  });

  it("the adapter stores users, accounts, sessions and one-time tokens in our schema", async () => {
    const { getDb } = await import("@/db/client");
    const adapter = DrizzleAdapter(await getDb(), tables);
    const user = await adapter.createUser!({ id: crypto.randomUUID(), email: "a@ledger.test", emailVerified: null });
    expect(await adapter.getUserByEmail!("a@ledger.test")).toMatchObject({ id: user.id, role: "reader" });
    await adapter.linkAccount!({ userId: user.id, type: "oauth", provider: "github", providerAccountId: "gh-1" });
    expect((await adapter.getUserByAccount!({ provider: "github", providerAccountId: "gh-1" }))?.id).toBe(user.id);
    const expires = new Date(Date.now() + 3_600_000);
    await adapter.createSession!({ sessionToken: "tok-1", userId: user.id, expires });
    expect((await adapter.getSessionAndUser!("tok-1"))?.user.email).toBe("a@ledger.test");
    await adapter.deleteSession!("tok-1");
    expect(await adapter.getSessionAndUser!("tok-1")).toBeNull();
    await adapter.createVerificationToken!({ identifier: "a@ledger.test", token: "hash", expires });
    expect(await adapter.useVerificationToken!({ identifier: "a@ledger.test", token: "hash" })).toMatchObject({ token: "hash" });
    expect(await adapter.useVerificationToken!({ identifier: "a@ledger.test", token: "hash" })).toBeNull();
  });

  // Drives Auth.js's own request handler with our configuration and a real SMTP sink.
  async function requestLink(email: string): Promise<URL> {
    const { authConfig } = await import("@/lib/auth/auth");
    const config = await authConfig();
    const csrf = await Auth(new Request(`${SITE}/api/auth/csrf`), config);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const asked = new Date(Date.now() - 1000);
    const res = await Auth(
      new Request(`${SITE}/api/auth/signin/nodemailer`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        body: new URLSearchParams({ email, csrfToken, callbackUrl: `${SITE}/articles/x` }),
      }),
      config,
    );
    expect(res.status).toBe(302);
    const message = await waitForMessage(mailbox, { to: email, after: asked, timeoutMs: 10_000 });
    expect(message.text).toContain("expires in 60 minutes");
    return new URL(messageLinks(message).find((l) => l.includes("/signin/confirm"))!);
  }

  async function confirm(link: URL): Promise<Response> {
    const { authConfig } = await import("@/lib/auth/auth");
    const params = new URLSearchParams({
      token: link.searchParams.get("token")!,
      email: link.searchParams.get("email")!,
      callbackUrl: link.searchParams.get("callbackUrl")!,
    });
    return Auth(new Request(`${SITE}/api/auth/callback/nodemailer?${params}`, { method: "POST" }), await authConfig());
  }

  it("a sign-in token works once, back to the article, and makes ADMIN_EMAILS admins", async () => {
    const link = await requestLink("boss@ledger.test");
    expect(link.origin).toBe(SITE);
    expect(link.pathname).toBe("/signin/confirm");
    expect(link.searchParams.get("callbackUrl")).toBe("/articles/x");
    const first = await confirm(link);
    expect(first.headers.get("location")).toBe(`${SITE}/articles/x`);
    expect(first.headers.getSetCookie().some((c) => c.startsWith("authjs.session-token="))).toBe(true);
    const { getDb } = await import("@/db/client");
    const [boss] = await (await getDb()).select().from(users).where(eq(users.email, "boss@ledger.test"));
    expect(boss?.role).toBe("admin");

    const again = await confirm(link);
    expect(again.headers.get("location")).toMatch(/\/signin\/error\?error=Verification/);
    expect(again.headers.getSetCookie().some((c) => c.startsWith("authjs.session-token="))).toBe(false);
  });

  // The route handler in front of Auth.js, as a browser or another site's page would post to it.
  async function postCallback(link: URL, init: { headers?: Record<string, string>; body?: URLSearchParams } = {}): Promise<Response> {
    const { POST } = await import("@/app/api/auth/[...nextauth]/route");
    const { NextRequest } = await import("next/server");
    const params = new URLSearchParams({ token: link.searchParams.get("token")!, email: link.searchParams.get("email")!, callbackUrl: "/articles/x" });
    const headers = { "content-type": "application/x-www-form-urlencoded", ...init.headers };
    return POST(new NextRequest(`${SITE}/api/auth/callback/nodemailer?${params}`, { method: "POST", headers, body: init.body ?? new URLSearchParams() }));
  }
  const signedIn = (response: Response) => response.headers.getSetCookie().some((c) => c.startsWith("authjs.session-token="));

  it("login CSRF: another site's POST of a valid link gets 403, signs no one in and leaves the link usable", async () => {
    const link = await requestLink("attacker@ledger.test");
    const attempts: Record<string, string>[] = [
      { origin: "http://evil.test" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site", origin: SITE },
      { "sec-fetch-site": "cross-site", origin: SITE },
      {}, // neither header, and no nonce
      { cookie: "mh_signin_nonce=the-cookie-nonce-0123456789" }, // neither header, a nonce the form does not echo
    ];
    for (const headers of attempts) {
      const response = await postCallback(link, { headers, body: new URLSearchParams({ nonce: "a-guessed-nonce-0123456789" }) });
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(signedIn(response)).toBe(false);
    }
    const own = await postCallback(link, { headers: { origin: SITE, "sec-fetch-site": "same-origin" } });
    expect(own.headers.get("location")).toBe(`${SITE}/articles/x`);
    expect(signedIn(own)).toBe(true);
  });

  it("the confirmation page's own POST signs in: by Origin, by Sec-Fetch-Site, or by the echoed nonce", async () => {
    const ways: Record<string, string>[] = [{ origin: SITE }, { "sec-fetch-site": "same-origin" }, { cookie: "mh_signin_nonce=the-cookie-nonce-0123456789" }];
    for (const headers of ways) {
      const link = await requestLink("confirms@ledger.test");
      const response = await postCallback(link, { headers, body: new URLSearchParams({ nonce: "the-cookie-nonce-0123456789" }) });
      expect(response.headers.get("location"), JSON.stringify(headers)).toBe(`${SITE}/articles/x`);
      expect(signedIn(response)).toBe(true);
    }
  });

  it("an expired token is refused", async () => {
    const link = await requestLink("late@ledger.test");
    const { getDb } = await import("@/db/client");
    await (await getDb())
      .update(verificationTokens)
      .set({ expires: new Date(Date.now() - 1000) })
      .where(eq(verificationTokens.identifier, "late@ledger.test"));
    const response = await confirm(link);
    expect(response.headers.get("location")).toMatch(/error=Verification/);
  });

  it("rate limits per key in a sliding window, also under concurrency", async () => {
    const { getDb } = await import("@/db/client");
    const db = await getDb();
    const key = rateLimitKey("signin-email", "Busy@Ledger.test");
    expect(key).toBe(rateLimitKey("signin-email", " busy@ledger.test "));
    expect(key).not.toContain("busy");
    const now = new Date();
    const results = await Promise.all(Array.from({ length: 8 }, () => hitRateLimit(db, key, 5, 3_600_000, now)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    const denied = results.find((r) => !r.allowed)!;
    expect(denied.retryAfterSeconds).toBeGreaterThan(3_500);
    const later = new Date(now.getTime() + 3_600_001);
    expect((await hitRateLimit(db, key, 5, 3_600_000, later)).allowed).toBe(true);
  });

  it("merges the device's meter into the account's once, ignoring an expired window", async () => {
    const { getDb } = await import("@/db/client");
    const db = await getDb();
    const [user] = await db.insert(users).values({ email: "merge@ledger.test" }).returning();
    const now = new Date();
    const nowS = Math.floor(now.getTime() / 1000);
    await mergeDeviceMeter(db, user!.id, { windowStart: nowS - 100, articleIds: [1, 2] }, now, 30);
    await mergeDeviceMeter(db, user!.id, { windowStart: nowS - 50, articleIds: [2, 3] }, now, 30);
    expect((await loadUserMeter(db, user!.id))?.articleIds.sort()).toEqual([1, 2, 3]);
    await mergeDeviceMeter(db, user!.id, { windowStart: nowS - 40 * 86_400, articleIds: [7] }, now, 30);
    expect((await loadUserMeter(db, user!.id))?.articleIds.sort()).toEqual([1, 2, 3]);
    expect(encodeMeter).toBeTypeOf("function");
  });

  it("a cached reader is forgotten the moment a change commits (grant, sign-out everywhere)", async () => {
    const { getDb } = await import("@/db/client");
    const { resolveReader } = await import("@/lib/access/resolve-reader");
    const { announceChange } = await import("@/lib/cache/invalidation");
    const { deleteAllSessions } = await import("@/lib/auth/sessions");
    const { grants } = await import("@/db/schema");
    const db = await getDb();
    const [reader] = await db.insert(users).values({ email: "cached@ledger.test" }).returning();
    const token = "cached-session-token-000000";
    await db.insert(sessions).values({ sessionToken: token, userId: reader!.id, expires: new Date(Date.now() + 3_600_000) });
    const jar = { get: (name: string) => (name === "authjs.session-token" ? { value: token } : undefined) };
    const read = async () => (await resolveReader(jar)).reader;
    expect(await read()).toMatchObject({ kind: "user", entitlement: null });
    expect(await read()).toMatchObject({ kind: "user", entitlement: null }); // served from the cache
    await db.transaction(async (tx) => {
      await tx.insert(grants).values({ userId: reader!.id, reason: "press pass" });
      await announceChange(tx as never, "readers", reader!.id);
    });
    // NOTIFY is delivered after commit: the cached reader goes soon, not at once.
    await expect.poll(read).toMatchObject({ kind: "user", entitlement: { source: "grant", until: null } });
    await deleteAllSessions(reader!.id);
    await expect.poll(read).toEqual({ kind: "anonymous" });
  });

  it("sign out of all devices ends every session of that user only", async () => {
    const { getDb } = await import("@/db/client");
    const { deleteAllSessions } = await import("@/lib/auth/sessions");
    const { userForSessionToken } = await import("@/lib/auth/session-user");
    const db = await getDb();
    const [me, other] = await db.insert(users).values([{ email: "me@ledger.test" }, { email: "other@ledger.test" }]).returning();
    const expires = new Date(Date.now() + 3_600_000);
    await db.insert(sessions).values([
      { sessionToken: "me-1-aaaaaaaaaaaaaaaa", userId: me!.id, expires },
      { sessionToken: "me-2-aaaaaaaaaaaaaaaa", userId: me!.id, expires },
      { sessionToken: "other-aaaaaaaaaaaaaaa", userId: other!.id, expires },
    ]);
    expect(await userForSessionToken("me-1-aaaaaaaaaaaaaaaa")).toMatchObject({ email: "me@ledger.test" });
    expect(await deleteAllSessions(me!.id)).toBe(2);
    expect(await userForSessionToken("me-1-aaaaaaaaaaaaaaaa")).toBeNull();
    expect(await userForSessionToken("me-2-aaaaaaaaaaaaaaaa")).toBeNull();
    expect(await userForSessionToken("other-aaaaaaaaaaaaaaa")).toMatchObject({ email: "other@ledger.test" });
  });
});

describe("npm run admin", () => {
  const run = promisify(execFile);
  it("grants and revokes the admin role from the command line, with clear errors", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-admin-"));
    const env = { ...process.env, DATA_DIR: dir, DATABASE_URL: "" };
    const cli = (...args: string[]) => run(process.execPath, ["--import", "tsx", "--conditions=react-server", "tools/admin.ts", ...args], { env });
    expect((await cli("grant", "Chief@Ledger.test")).stdout).toContain("chief@ledger.test is now an admin, from its first sign-in with an emailed link.");
    const check = async () => {
      const handle = await openDatabase({ dataDir: dir });
      const [row] = await handle.db.select().from(users).where(eq(users.email, "chief@ledger.test"));
      await handle.close();
      return row?.role;
    };
    expect(await check()).toBe("admin");
    await cli("revoke", "chief@ledger.test");
    expect(await check()).toBe("reader");
    await expect(cli("revoke", "nobody@ledger.test")).rejects.toMatchObject({ stderr: expect.stringContaining("No account") });
    await expect(cli("promote", "x")).rejects.toMatchObject({ stderr: expect.stringContaining("Usage") });
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
