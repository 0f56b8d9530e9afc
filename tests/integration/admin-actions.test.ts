import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { articles, auditLog } from "@/db/schema";
import { parsePlainTextArticle } from "@/lib/content/parse-plain-text";
import { slugify } from "@/lib/content/slug";
import { articleFixtures } from "../support/fixtures";
import { adminSession, countRows, fixtureText, signOutAndClose } from "./support/admin-harness";
import { form, redirectOf } from "./support/action-forms";
import { type AppDatabase, engines, openAppDatabase } from "./support/databases";

vi.mock("next/headers", async () => (await import("./support/next-request")).nextHeaders());
vi.mock("next/cache", async (original) => (await import("./support/next-request")).nextCache(await original()));

describe.each(engines)("admin actions on %s", (engine) => {
  let t: AppDatabase;
  let db: import("@/db/client").Db;
  let actions: typeof import("@/app/admin/articles/actions");
  let settingsActions: typeof import("@/app/admin/settings/actions");

  beforeAll(async () => {
    t = await openAppDatabase(engine, { METER_ANONYMOUS_LIMIT: "3" });
    db = t.db;
    await adminSession(db, "editor@ledger.test");
    actions = await import("@/app/admin/articles/actions");
    settingsActions = await import("@/app/admin/settings/actions");
  });
  afterAll(() => signOutAndClose(t));

  const lastAudit = async () => (await db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0];
  /** What `submit` answered, once it is checked to have added or removed no row. */
  const writesNothing = async <T>(submit: () => Promise<T>): Promise<T> => {
    const before = await countRows(db);
    const result = await submit();
    expect(await countRows(db)).toEqual(before);
    return result;
  };

  describe("settings", () => {
    it("change the meter without a restart, and a blank field goes back to the env default", async () => {
      const { getReadingSettings } = await import("@/lib/settings");
      expect((await getReadingSettings()).policy.anonymousLimit).toBe(3); // cached now
      const saved = await settingsActions.saveSiteSettingsAction(
        undefined,
        form({
          meterAnonymousLimit: "5",
          meterRegisteredLimit: "12",
          meterWindowDays: "7",
          defaultLeadInBlocks: "3",
          paywallHeading: "  Read without limits  ",
          paywallBody: "Support the Ledger.",
        }),
      );
      expect(saved).toMatchObject({ ok: true });
      // Forgotten by the save's NOTIFY: on PostgreSQL it lands a moment after the commit returns.
      await vi.waitFor(async () =>
        expect(await getReadingSettings()).toEqual({
          policy: { anonymousLimit: 5, registeredLimit: 12, windowDays: 7 },
          defaultLeadInBlocks: 3,
          paywallHeading: "Read without limits",
          paywallBody: "Support the Ledger.",
          paywallButton: "Choose",
          defaultPlanId: null,
          planOrder: null,
          gift: { validDays: 14, browserLimit: 25 },
          offers: { checkoutAcceptsCodes: false, featuredOfferId: null },
        }),
      );
      const audit = await lastAudit();
      expect(audit).toMatchObject({ action: "settings.update", targetType: "site_settings", actorEmail: "editor@ledger.test" });
      expect(audit?.before).toMatchObject({ meterAnonymousLimit: null });
      expect(audit?.after).toMatchObject({ meterAnonymousLimit: 5, paywallHeading: "Read without limits" });

      expect(await settingsActions.saveSiteSettingsAction(undefined, form({ meterAnonymousLimit: "", meterWindowDays: "7" }))).toMatchObject({ ok: true });
      await vi.waitFor(async () => {
        const settings = await getReadingSettings();
        expect(settings.policy).toEqual({ anonymousLimit: 3, registeredLimit: 10, windowDays: 7 });
        expect(settings.paywallHeading).toBe("Subscribe for unlimited access");
      });
    });

    it("a bad form gets a message per field and writes nothing", async () => {
      const { getReadingSettings } = await import("@/lib/settings");
      const effective = await getReadingSettings();
      const result = await writesNothing(() =>
        settingsActions.saveSiteSettingsAction(
          undefined,
          form({ meterAnonymousLimit: "51", meterWindowDays: "0", defaultLeadInBlocks: "2.5", paywallHeading: "x".repeat(121), meterRegisteredLimit: "4" }),
        ),
      );
      expect(result).toMatchObject({
        ok: false,
        fieldErrors: {
          meterAnonymousLimit: "At most 50",
          meterWindowDays: "At least 1",
          defaultLeadInBlocks: expect.stringMatching(/whole number/),
          paywallHeading: "At most 120 characters",
        },
        values: { meterRegisteredLimit: "4" },
      });
      expect(await getReadingSettings()).toEqual(effective);
    });
  });

  describe("articles", () => {
    const article = {
      title: "Harbour lights return",
      dek: "The lamps are back.",
      byline: "By A. Writer",
      heroImage: "/images/demo/harbour-bridge.svg",
      heroImageAlt: "The bridge at dusk",
      heroImageCredit: "Ledger staff",
      body: "First paragraph.\n\n## The detail\n\nSecond paragraph.\n\n> A quote.",
      leadInBlocks: "",
      access: "metered",
      publication: "now",
    };

    it("creates an article from Markdown, publishes it, and audits it in the same transaction", async () => {
      const { findPublishedArticleMeta, loadBlocks } = await import("@/lib/content/articles");
      const before = await countRows(db);
      const location = await redirectOf(actions.saveArticleAction(undefined, form(article)));
      const meta = await findPublishedArticleMeta(db, "harbour-lights-return", new Date());
      expect(meta).toMatchObject({ title: "Harbour lights return", access: "metered", leadInBlocks: null });
      expect(location).toBe(`/admin/articles/${meta!.id}?saved=created`);
      expect(await loadBlocks(db, meta!.id, 0)).toEqual([
        { kind: "paragraph", text: "First paragraph." },
        { kind: "heading", text: "The detail" },
        { kind: "paragraph", text: "Second paragraph." },
        { kind: "quote", text: "A quote." },
      ]);
      const after = await countRows(db);
      expect(after.articles).toBe(before.articles! + 1);
      expect(after.audit_log).toBe(before.audit_log! + 1);
      const audit = await lastAudit();
      expect(audit).toMatchObject({ action: "article.create", targetType: "article", targetId: String(meta!.id), before: null });
      expect(audit?.after).toMatchObject({ slug: "harbour-lights-return", body: article.body });
    });

    it("rolls the article back when its audit entry cannot be written", async () => {
      const { articleFormSchema } = await import("@/lib/admin/articles/form");
      const { saveArticleAsAdmin } = await import("@/lib/admin/articles/commands");
      const before = await countRows(db);
      const parsed = articleFormSchema.parse({ ...article, title: "Never stored", slug: "never-stored" });
      // An actor id that is no user breaks the audit row's foreign key: the article must go with it.
      await expect(saveArticleAsAdmin(db, { id: "no-such-user", email: "ghost@ledger.test" }, parsed)).rejects.toThrow();
      expect(await countRows(db)).toEqual(before);
      expect(await db.select().from(articles).where(eq(articles.slug, "never-stored"))).toEqual([]);
    });

    it("edits in place: renames the slug, keeps the publication date, records before and after", async () => {
      const [row] = await db.select().from(articles).where(eq(articles.slug, "harbour-lights-return"));
      const before = await countRows(db);
      await redirectOf(
        actions.saveArticleAction(undefined, form({ ...article, id: String(row!.id), title: "Harbour lights are back", slug: "lights-back", leadInBlocks: "3" })),
      );
      const [edited] = await db.select().from(articles).where(eq(articles.id, row!.id));
      expect(edited).toMatchObject({ slug: "lights-back", title: "Harbour lights are back", leadInBlocks: 3 });
      expect(edited!.publishedAt?.toISOString()).toBe(row!.publishedAt?.toISOString());
      expect(await countRows(db)).toEqual({ ...before, audit_log: before.audit_log! + 1 });
      const audit = await lastAudit();
      expect(audit).toMatchObject({ action: "article.update", before: { slug: "harbour-lights-return" }, after: { slug: "lights-back" } });
    });

    it("a bad form gets field errors next to the fields and writes nothing", async () => {
      const result = await writesNothing(() =>
        actions.saveArticleAction(
          undefined,
          form({ ...article, title: "  ", body: "\n\n", heroImageAlt: "", heroImage: "https://evil.example/x.png", leadInBlocks: "0", publication: "schedule", publishAt: "2001-01-01T00:00" }),
        ),
      );
      expect(result).toMatchObject({
        ok: false,
        fieldErrors: {
          title: "A headline is required",
          body: "An article needs at least one paragraph",
          heroImage: expect.stringMatching(/local path/),
          leadInBlocks: expect.any(String),
          publishAt: "Pick a time in the future, or publish now",
        },
      });
    });

    it("refuses a slug another article uses, without touching either", async () => {
      const { importPlainTextArticle } = await import("@/lib/content/import-article");
      await importPlainTextArticle(db, fixtureText, { slug: "taken" });
      const [taken] = await db.select().from(articles).where(eq(articles.slug, "taken"));
      const result = await writesNothing(() => actions.saveArticleAction(undefined, form({ ...article, slug: "taken" })));
      expect(result).toMatchObject({ ok: false, fieldErrors: { slug: "Another article already uses this slug" } });
      expect((await db.select().from(articles).where(eq(articles.slug, "taken")))[0]).toEqual(taken);
    });

    it("schedules for later: not on the site until then", async () => {
      const { findPublishedArticleMeta } = await import("@/lib/content/articles");
      const at = new Date(Date.now() + 86_400_000).toISOString().slice(0, 16);
      await redirectOf(actions.saveArticleAction(undefined, form({ ...article, slug: "tomorrow", publication: "schedule", publishAt: at })));
      const [row] = await db.select().from(articles).where(eq(articles.slug, "tomorrow"));
      expect(row!.publishedAt?.toISOString().slice(0, 16)).toBe(at);
      expect(await findPublishedArticleMeta(db, "tomorrow", new Date())).toBeNull();
    });

    it("unpublishes: off the site, audited", async () => {
      const { findPublishedArticleMeta } = await import("@/lib/content/articles");
      const [row] = await db.select().from(articles).where(eq(articles.slug, "lights-back"));
      const location = await redirectOf(actions.unpublishArticleAction(undefined, form({ id: String(row!.id) })));
      expect(location).toBe(`/admin/articles/${row!.id}?saved=unpublished`);
      expect(await findPublishedArticleMeta(db, "lights-back", new Date())).toBeNull();
      expect(await lastAudit()).toMatchObject({ action: "article.unpublish", after: { publishedAt: null } });
    });

    it("imports a plain-text upload, and explains a malformed one without storing anything", async () => {
      const upload = (text: string, name = "story.txt") => {
        const data = form({ access: "subscribers", slug: "imported-story" });
        data.set("file", new File([text], name, { type: "text/plain" }));
        return data;
      };
      const ok = await actions.importArticleAction(undefined, upload(fixtureText));
      expect(ok).toMatchObject({ ok: true, data: { path: "/articles/imported-story", created: true } });
      expect(await lastAudit()).toMatchObject({ action: "article.import", before: null, after: { slug: "imported-story", access: "subscribers" } });
      for (const f of articleFixtures) {
        const { title } = parsePlainTextArticle(f.text);
        const data = form({ access: "metered" });
        data.set("file", new File([f.text], f.name, { type: "text/plain" }));
        expect(await actions.importArticleAction(undefined, data), f.name).toMatchObject({ ok: true, data: { path: `/articles/${slugify(title)}` } });
      }

      const before = await countRows(db);
      const headlineOnly = await actions.importArticleAction(undefined, upload("Just a headline\n"));
      expect(headlineOnly).toMatchObject({ ok: false, fieldErrors: { file: expect.stringMatching(/no body/) } });
      const empty = await actions.importArticleAction(undefined, upload(""));
      expect(empty).toMatchObject({ ok: false, fieldErrors: { file: expect.stringMatching(/empty/) } });
      const binary = await actions.importArticleAction(undefined, upload("Headline\n\n\u0000\u0001", "photo.png"));
      expect(binary).toMatchObject({ ok: false, fieldErrors: { file: expect.any(String) } });
      expect(await countRows(db)).toEqual(before);
    });

    it("re-imports an upload over an edited article: headline and body only, unless told to replace everything", async () => {
      const { findPublishedArticleMeta, loadBlocks } = await import("@/lib/content/articles");
      const upload = (text: string, extra: Record<string, string> = {}) => {
        const data = form({ access: "free", slug: "reimported", ...extra });
        data.set("file", new File([text], "story.txt", { type: "text/plain" }));
        return data;
      };
      await redirectOf(
        actions.saveArticleAction(
          undefined,
          form({ ...article, slug: "reimported", dek: "Kept standfirst", byline: "By Kept", heroImageCredit: "Kept credit", leadInBlocks: "4", access: "subscribers" }),
        ),
      );
      const story = "Lights over the harbour\n\nThe first of three paragraphs, short.\n\nThe second one, also short.\n\nThe third and last one.\n";
      const kept = await actions.importArticleAction(undefined, upload(story));
      expect(kept).toMatchObject({
        ok: true,
        message: "Updated “Lights over the harbour”: replaced the headline and body; kept its publication date, standfirst, byline, image, alt text, credit, lead-in and access.",
        data: { created: false, leadInWarning: expect.stringMatching(/^Readers without access will see only 1 of the 4 lead-in paragraphs/) },
      });
      const meta = (await findPublishedArticleMeta(db, "reimported", new Date()))!;
      expect(meta).toMatchObject({ title: "Lights over the harbour", dek: "Kept standfirst", byline: "By Kept", heroImageCredit: "Kept credit", leadInBlocks: 4, access: "subscribers" });
      expect((await loadBlocks(db, meta.id, 0)).map((b) => b.text)).toEqual(["The first of three paragraphs, short.", "The second one, also short.", "The third and last one."]);
      expect(await lastAudit()).toMatchObject({ action: "article.reimport", before: { dek: "Kept standfirst" }, after: { dek: "Kept standfirst", title: "Lights over the harbour" } });

      const replaced = await actions.importArticleAction(undefined, upload(story, { replaceAll: "on" }));
      expect(replaced).toMatchObject({ ok: true, message: "Updated “Lights over the harbour”: replaced everything but its publication date." });
      expect(await findPublishedArticleMeta(db, "reimported", new Date())).toMatchObject({
        dek: null,
        byline: null,
        heroImageCredit: null,
        leadInBlocks: null,
        access: "free",
        publishedAt: meta.publishedAt,
      });

      const before = await countRows(db);
      expect(await actions.importArticleAction(undefined, upload(story, { replaceAll: "yes please" }))).toMatchObject({ ok: false, fieldErrors: { replaceAll: expect.any(String) } });
      expect(await countRows(db)).toEqual(before);
    });
  });
});
