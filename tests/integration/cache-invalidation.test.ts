import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openDatabase, type Db } from "@/db/client";
import { plans, siteSettings } from "@/db/schema";
import { seedIfEmpty } from "@/lib/startup/seed";
import type { AdminActor } from "@/lib/admin/shared/action";
import { articleFormSchema } from "@/lib/admin/articles/form";
import { updatePlanSchema } from "@/lib/admin/plans/form";
import { updatePlan } from "@/lib/admin/plans/commands";
import { saveArticleAsAdmin, unpublishArticle } from "@/lib/admin/articles/commands";
import { saveSiteSettings } from "@/lib/admin/settings/commands";
import { DEFAULT_STORED_SETTINGS } from "@/lib/admin/settings/queries";
import { saveArticle } from "@/lib/content/articles";
import { adminSession } from "./support/admin-harness";
import { changesHeard } from "./support/change-fence";
import { type AppDatabase, engines, openAppDatabase } from "./support/databases";

const DEFAULT_HEADING = "Subscribe for unlimited access";

// A committed change reaches the caches through NOTIFY: in-process on PGlite, over the listening
// connection on PostgreSQL a moment after the commit returns. A second is far more than either
// needs and far less than the caches' safety-net TTL, so only the NOTIFY can pass these.
const soon = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 1_000, interval: 5 });

describe.each(engines)("cache invalidation on %s", (engine) => {
  let t: AppDatabase;
  let db: Db;
  let admin: AdminActor;
  let cached: {
    settings: typeof import("@/lib/settings");
    plans: typeof import("@/lib/billing/plans");
    meta: typeof import("@/lib/content/article-cache");
    front: typeof import("@/lib/content/front-page");
  };
  const frontPageTitles = async () => (await cached.front.getLatestArticles()).map((a) => a.title);

  beforeAll(async () => {
    t = await openAppDatabase(engine);
    db = t.db;
    await seedIfEmpty(db);
    admin = await adminSession(db, "editor@ledger.test");
    cached = {
      settings: await import("@/lib/settings"),
      plans: await import("@/lib/billing/plans"),
      meta: await import("@/lib/content/article-cache"),
      front: await import("@/lib/content/front-page"),
    };
  });
  afterAll(async () => {
    await t.close();
  });

  it("settings: forgotten when a save commits, kept when it rolls back", async () => {
    expect((await cached.settings.getReadingSettings()).paywallHeading).toBe(DEFAULT_HEADING);
    // A change nobody announces (typed in psql) stays unseen: the cache really holds the value.
    await db.update(siteSettings).set({ paywallHeading: "Typed in psql" }).where(eq(siteSettings.id, 1));
    await changesHeard(db);
    expect((await cached.settings.getReadingSettings()).paywallHeading).toBe(DEFAULT_HEADING);

    // The same save, rolled back: its NOTIFY is never delivered, so nothing is forgotten.
    await expect(
      db.transaction(async (tx) => {
        await saveSiteSettings(tx, admin, { ...DEFAULT_STORED_SETTINGS, paywallHeading: "Rolled back" });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    await changesHeard(db);
    expect((await cached.settings.getReadingSettings()).paywallHeading).toBe(DEFAULT_HEADING);

    await saveSiteSettings(db, admin, { ...DEFAULT_STORED_SETTINGS, paywallHeading: "Saved by the editor" });
    await soon(async () => expect((await cached.settings.getReadingSettings()).paywallHeading).toBe("Saved by the editor"));
  });

  it("plans: a new price is on the paywall's list once the edit commits", async () => {
    const monthly = (await cached.plans.listActivePlans()).find((p) => p.name === "Monthly")!;
    expect(monthly.amount).toBe(800);
    const [row] = await db.select().from(plans).where(eq(plans.id, monthly.id));
    const input = updatePlanSchema.parse({ id: String(row!.id), name: "Monthly", features: row!.features.join("\n"), trialDays: "0", amount: "9.50", interval: "month" });
    expect(await updatePlan(db, admin, input)).toMatchObject({ ok: true, priceChanged: true });
    await soon(async () => expect((await cached.plans.listActivePlans()).find((p) => p.id === monthly.id)?.amount).toBe(950));
  });

  it("articles: a rename, an edit and an unpublish are seen at once; a scheduled article comes out on time", async () => {
    const stamp = Date.now().toString(36);
    const body = [{ kind: "paragraph" as const, text: "The ferry runs again." }];
    const saved = await saveArticle(db, { slug: `ferry-${stamp}`, title: `Ferry ${stamp}`, access: "free", publishedAt: new Date(), blocks: body });
    await soon(async () => expect(await frontPageTitles()).toContain(`Ferry ${stamp}`));
    expect((await cached.meta.getArticleMeta(`ferry-${stamp}`))?.title).toBe(`Ferry ${stamp}`);
    expect(await cached.meta.getArticleMeta(`night-ferry-${stamp}`)).toBeNull(); // cached: no such article

    const form = articleFormSchema.parse({
      id: String(saved.id),
      title: `Night ferry ${stamp}`,
      slug: `night-ferry-${stamp}`,
      body: "The night ferry runs again.",
      access: "free",
      publication: "now",
    });
    expect(await saveArticleAsAdmin(db, admin, form)).toMatchObject({ ok: true, created: false });
    await soon(async () => {
      expect(await cached.meta.getArticleMeta(`ferry-${stamp}`)).toBeNull();
      expect((await cached.meta.getArticleMeta(`night-ferry-${stamp}`))?.title).toBe(`Night ferry ${stamp}`);
      expect(await frontPageTitles()).toContain(`Night ferry ${stamp}`);
    });

    expect(await unpublishArticle(db, admin, saved.id)).toEqual({ changed: true });
    await soon(async () => {
      expect(await cached.meta.getArticleMeta(`night-ferry-${stamp}`)).toBeNull();
      expect(await frontPageTitles()).not.toContain(`Night ferry ${stamp}`);
    });

    // Coming out at its time is no write, so nothing is announced: the caches know the time.
    const at = new Date(Date.now() + 1_500);
    await saveArticle(db, { slug: `tides-${stamp}`, title: `Tides ${stamp}`, access: "free", publishedAt: at, blocks: body });
    await soon(async () => expect(await cached.meta.getArticleMeta(`tides-${stamp}`)).toBeNull());
    expect(await frontPageTitles()).not.toContain(`Tides ${stamp}`);
    // Out as soon as its time has passed: no announcement, no waiting for an entry to expire.
    await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(at.getTime()), { timeout: 5_000, interval: 10 });
    expect((await cached.meta.getArticleMeta(`tides-${stamp}`))?.title).toBe(`Tides ${stamp}`);
    expect(await frontPageTitles()).toContain(`Tides ${stamp}`);
  });

  it.runIf(engine === "postgres")("a change made through another connection, or by the import CLI in another process, is seen here", async () => {
    expect((await cached.settings.getReadingSettings()).paywallHeading).toBe("Saved by the editor");
    const other = await openDatabase({ url: t.url });
    try {
      await saveSiteSettings(other.db, admin, { ...DEFAULT_STORED_SETTINGS, paywallHeading: "From another instance" });
    } finally {
      await other.close();
    }
    await soon(async () => expect((await cached.settings.getReadingSettings()).paywallHeading).toBe("From another instance"));

    const title = `Harbour cranes come down ${Date.now().toString(36)}`;
    const slug = title.toLowerCase().replaceAll(" ", "-");
    expect(await cached.meta.getArticleMeta(slug)).toBeNull();
    expect(await frontPageTitles()).not.toContain(title);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "masthead-import-")), "cranes.txt");
    fs.writeFileSync(file, `${title}\n\nThe last two cranes on the east quay came down on Sunday.\n`);
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "--conditions=react-server", "tools/articles-import.ts", file], { env: { ...process.env, DATABASE_URL: t.url } });
    expect(stdout.trim()).toBe(`/articles/${slug}`);
    await soon(async () => {
      expect((await cached.meta.getArticleMeta(slug))?.title).toBe(title);
      expect(await frontPageTitles()).toContain(title);
    });
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }, 60_000);
});
