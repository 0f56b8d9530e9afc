import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { adminSession, contentFingerprint, cookieState, countRows, createSignedInUser, fixtureText, NOT_FOUND_DIGEST, plausibleForm, signOutAndClose } from "./support/admin-harness";
import { type AppDatabase, engines, openAppDatabase } from "./support/databases";

vi.mock("next/headers", async () => (await import("./support/next-request")).nextHeaders());
vi.mock("next/cache", async (original) => (await import("./support/next-request")).nextCache(await original()));

const ADMIN_DIR = path.resolve("app/admin");
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : /\.(ts|tsx)$/.test(name) ? [full] : [];
  });
}

const sources = filesUnder(ADMIN_DIR).map((file) => ({ file, rel: path.relative(process.cwd(), file), code: readFileSync(file, "utf8") }));
// A file-level directive: the first statement, after comments.
const isServerModule = (code: string) => /^(?:\s*(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/))*\s*["']use server["']/.test(code);
const serverModules = sources.filter((s) => isServerModule(s.code));
const routeModules = sources.filter((s) => /(^|\/)route\.tsx?$/.test(s.rel));
const pages = sources.filter((s) => /(^|\/)page\.tsx?$/.test(s.rel));

interface Entry {
  name: string;
  call: () => Promise<unknown>;
}

/** Every server action and route handler under app/admin, ready to call with a plausible input. */
async function enumerateEntries(articleId: number): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (const source of serverModules) {
    const mod = (await import(/* @vite-ignore */ source.file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value !== "function") throw new Error(`${source.rel} exports ${name}, which is not a server action`);
      const action = value as (...args: unknown[]) => Promise<unknown>;
      entries.push({ name: `${source.rel}#${name}`, call: () => action(undefined, plausibleForm(articleId)) });
    }
  }
  for (const source of routeModules) {
    const mod = (await import(/* @vite-ignore */ source.file)) as Record<string, unknown>;
    const segments = path.dirname(source.rel).split(path.sep).slice(1); // drop "app"
    const params = Object.fromEntries(segments.filter((s) => s.startsWith("[")).map((s) => [s.replace(/[[\].]/g, ""), String(articleId)]));
    const url = `http://localhost/${segments.map((s) => (s.startsWith("[") ? String(articleId) : s)).join("/")}`;
    for (const method of HTTP_METHODS) {
      const handler = mod[method];
      if (typeof handler !== "function") continue;
      entries.push({
        name: `${source.rel}#${method}`,
        call: () =>
          (handler as (req: NextRequest, ctx: unknown) => Promise<unknown>)(
            new NextRequest(url, method === "GET" || method === "HEAD" ? { method } : { method, body: plausibleForm(articleId) }),
            { params: Promise.resolve(params) },
          ),
      });
    }
  }
  return entries;
}

/** Refused means: Next's notFound() was thrown (or, for a handler, a 404 answered). */
async function refusal(entry: Entry): Promise<string | null> {
  try {
    const result = await entry.call();
    if (result instanceof Response && result.status === 404) return null;
    return `${entry.name} was not refused: it returned ${result instanceof Response ? `HTTP ${result.status}` : JSON.stringify(result)}`;
  } catch (error) {
    const digest = (error as { digest?: unknown } | null)?.digest;
    if (digest === NOT_FOUND_DIGEST) return null;
    return `${entry.name} threw something other than notFound(): ${String(digest ?? error)}`;
  }
}

describe("admin files, statically", () => {
  it("finds the admin actions to check (the scan itself works)", () => {
    const names = serverModules.map((s) => s.rel);
    expect(names).toContain(path.join("app", "admin", "articles", "actions.ts"));
    expect(names).toContain(path.join("app", "admin", "settings", "actions.ts"));
  });

  it("declares server actions only in \"use server\" files, where this test can find them", () => {
    const inline = sources.filter((s) => !isServerModule(s.code) && /["']use server["']/.test(s.code)).map((s) => s.rel);
    expect(inline, "move inline server actions to an actions.ts file").toEqual([]);
  });

  it("every admin page checks the caller itself (a layout check does not protect a page's data)", () => {
    expect(pages.length).toBeGreaterThan(3);
    const unchecked = pages.filter((s) => !/await\s+requireAdmin\(\)/.test(s.code)).map((s) => s.rel);
    expect(unchecked).toEqual([]);
    const layout = sources.find((s) => s.rel === path.join("app", "admin", "layout.tsx"));
    expect(layout?.code).toMatch(/await\s+requireAdmin\(\)/);
  });
});

describe.each(engines)("admin authorization on %s", (engine) => {
  let t: AppDatabase;
  let db: import("@/db/client").Db;
  let articleId: number;
  let readerToken: string;
  let adminToken: string;

  beforeAll(async () => {
    t = await openAppDatabase(engine);
    db = t.db;
    const { importPlainTextArticle } = await import("@/lib/content/import-article");
    articleId = (await importPlainTextArticle(db, fixtureText, {})).id;
    readerToken = (await createSignedInUser(db, "reader@ledger.test", "reader")).token;
    adminToken = (await adminSession(db)).token;
  });
  afterAll(() => signOutAndClose(t));

  it.each([
    ["an anonymous caller", (): string | null => null],
    ["a signed-in reader", (): string | null => readerToken],
    ["a forged session cookie", (): string | null => "f".repeat(48)],
  ] as const)("refuses %s on every admin action and route handler, changing nothing", async (_who, token) => {
    cookieState.sessionToken = token();
    const entries = await enumerateEntries(articleId);
    expect(entries.length).toBeGreaterThanOrEqual(4);
    const [countsBefore, contentBefore] = [await countRows(db), await contentFingerprint(db)];
    const failures: string[] = [];
    for (const entry of entries) {
      const failure = await refusal(entry);
      if (failure) failures.push(failure);
    }
    expect(failures).toEqual([]);
    expect(await countRows(db)).toEqual(countsBefore);
    expect(await contentFingerprint(db)).toBe(contentBefore);
  });

  it("lets an admin through the same check (the refusals above are not an accident of the harness)", async () => {
    cookieState.sessionToken = adminToken;
    const { saveSiteSettingsAction } = await import("@/app/admin/settings/actions");
    const before = await countRows(db);
    const form = new FormData();
    form.set("meterAnonymousLimit", "7");
    expect(await saveSiteSettingsAction(undefined, form)).toMatchObject({ ok: true });
    const after = await countRows(db);
    expect(after.site_settings).toBe(1);
    expect(after.audit_log).toBe(before.audit_log! + 1);
  });
});
