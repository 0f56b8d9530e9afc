import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { sessions, users } from "@/db/schema";
import { mainFixture } from "../../support/fixtures";

export const SESSION_COOKIE = "authjs.session-token";
export const NOT_FOUND_DIGEST = "NEXT_HTTP_ERROR_FALLBACK;404";
export const fixtureText = mainFixture.text;

/** The cookies a request carries, as next/headers' cookies() answers them; tests swap the session. */
export const cookieState: { sessionToken: string | null } = { sessionToken: null };

export function mockedCookies() {
  const all = () => (cookieState.sessionToken ? [{ name: SESSION_COOKIE, value: cookieState.sessionToken }] : []);
  return {
    get: (name: string) => all().find((c) => c.name === name),
    getAll: () => all(),
    has: (name: string) => all().some((c) => c.name === name),
    set: () => {},
    delete: () => {},
  };
}

/** Runs `run` signed in with this session token (as the request's cookie), signed out after. */
export async function signedInAs<T>(token: string, run: () => Promise<T>): Promise<T> {
  cookieState.sessionToken = token;
  try {
    return await run();
  } finally {
    cookieState.sessionToken = null;
  }
}

/** A suite's end: no session left in the cookies for the next suite, and its database (or app) closed. */
export async function signOutAndClose(opened: { close(): Promise<void> }): Promise<void> {
  cookieState.sessionToken = null;
  await opened.close();
}

/** A user with a live database session; returns the session token to put in the cookie. */
export async function createSignedInUser(db: Db, email: string, role: "reader" | "admin"): Promise<{ id: string; token: string }> {
  const [user] = await db.insert(users).values({ email, role, emailVerified: new Date() }).returning({ id: users.id });
  const token = randomBytes(24).toString("hex");
  await db.insert(sessions).values({ sessionToken: token, userId: user!.id, expires: new Date(Date.now() + 3_600_000) });
  return { id: user!.id, token };
}

/** An admin signed in for the suite: server code's cookies() now carries its session. */
export async function adminSession(db: Db, email = "boss@ledger.test"): Promise<{ id: string; email: string; token: string }> {
  const { id, token } = await createSignedInUser(db, email, "admin");
  cookieState.sessionToken = token;
  return { id, email, token };
}

/** Row counts of every table an admin can change: equal before and after means nothing changed. */
export async function countRows(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ["articles", "article_blocks", "site_settings", "audit_log", "plans", "plan_prices", "grants", "users", "organisations", "experiments", "experiment_variants"]) {
    const result = (await db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown;
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ n: number }>;
    counts[table] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}

/** A checksum of what an action could edit in place (an update keeps the row count). */
export async function contentFingerprint(db: Db): Promise<string> {
  const result = (await db.execute(
    sql.raw(
      `select coalesce((select string_agg(md5(a::text), ',' order by id) from articles a), '') ||
              coalesce((select string_agg(md5(s::text), ',') from site_settings s), '') ||
              coalesce((select string_agg(md5(p::text), ',' order by id) from plans p), '') ||
              coalesce((select string_agg(md5(g::text), ',' order by id) from grants g), '') ||
              coalesce((select string_agg(md5(o::text), ',' order by id) from organisations o), '') as f`,
    ),
  )) as unknown;
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ f: string }>;
  return rows[0]?.f ?? "";
}

/** Whatever an admin form might carry, valid, so an action without its check would write something. */
export function plausibleForm(articleId: number): FormData {
  const form = new FormData();
  const fields: Record<string, string> = {
    id: String(articleId),
    title: "Written by someone who is not an admin",
    slug: "not-an-admin",
    body: "A paragraph.\n\nAnother one.",
    access: "metered",
    publication: "draft",
    meterAnonymousLimit: "42",
    meterRegisteredLimit: "42",
    meterWindowDays: "42",
    defaultLeadInBlocks: "4",
    paywallHeading: "Hacked",
    paywallBody: "Hacked",
    name: "Plan",
    amount: "100",
    interval: "month",
    reason: "comp",
    email: "reader@ledger.test",
    seats: "10",
    termStart: "2026-01-01",
    termEnd: "2027-01-01",
    currency: "usd",
    managers: "reader@ledger.test",
    ipRanges: "0.0.0.0/0",
  };
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  form.set("file", new File([fixtureText], "article.txt", { type: "text/plain" }));
  return form;
}
