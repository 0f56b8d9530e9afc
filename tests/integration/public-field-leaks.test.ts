import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { articles, auditLog } from "@/db/schema";
import { adminSession, signOutAndClose } from "./support/admin-harness";
import { form, redirectOf } from "./support/action-forms";
import { type AppDatabase, engines, openAppDatabase } from "./support/databases";

vi.mock("next/headers", async () => (await import("./support/next-request")).nextHeaders());
vi.mock("next/cache", async (original) => (await import("./support/next-request")).nextCache(await original()));

/** An action that saved: it redirects to the edit page. */
const saved = async (run: Promise<unknown>): Promise<void> => void (await redirectOf(run));

const LOCKED = "The harbour board quietly sold the north pier to a developer for one pound.";
const body = [
  "The lamps along the quay were lit again on Friday.",
  "Crowds gathered early, and the band played until late.",
  "Nobody at the ceremony mentioned the pier.",
  LOCKED,
  "The sale was signed in March and never announced.",
].join("\n\n");

// Locked text pasted into a public field goes to every stranger (page, OG and Twitter tags, JSON-LD).
describe.each(engines)("locked text in a public field on %s", (engine) => {
  let t: AppDatabase;
  let db: import("@/db/client").Db;
  let actions: typeof import("@/app/admin/articles/actions");
  let audit: typeof import("@/lib/leak-audit/canaries");

  beforeAll(async () => {
    t = await openAppDatabase(engine);
    db = t.db;
    await adminSession(db, "editor@ledger.test");
    actions = await import("@/app/admin/articles/actions");
    audit = await import("@/lib/leak-audit/canaries");
  });
  afterAll(() => signOutAndClose(t));

  const article = (slug: string, over: Record<string, string> = {}) => ({
    title: `Lamps on the quay ${slug}`,
    slug,
    dek: "The lights are back.",
    byline: "By A. Writer",
    heroImage: "/images/demo/harbour-bridge.svg",
    heroImageAlt: "The quay at dusk",
    heroImageCredit: "Ledger staff",
    body,
    leadInBlocks: "2",
    access: "subscribers",
    publication: "now",
    ...over,
  });
  const auditedRepeats = async (slug: string) => (await audit.loadAuditArticles(db)).find((a) => a.slug === slug)?.repeats;

  it.each([
    ["title", { title: `Pier sold: ${LOCKED}` }, "headline"],
    ["dek", { dek: `Why it matters. ${LOCKED}` }, "standfirst"],
    ["heroImageAlt", { heroImageAlt: LOCKED }, "image alt text"],
    ["heroImageCredit", { heroImageCredit: `Photo: ${LOCKED}` }, "image credit"],
    ["slug", { slug: "harbour-board-quietly-sold-the-north-pier" }, "slug"],
  ] as const)("the %s: publishing is refused naming the field and the sentence; a draft is kept; the audit reports it", async (field, over, label) => {
    const slug = `repeat-${field.toLowerCase()}`;
    const fields = article(slug, over);
    const refused = await actions.saveArticleAction(undefined, form(fields));
    expect(refused).toMatchObject({ ok: false, fieldErrors: { [field]: expect.stringContaining("locked part") } });
    const refusal = refused as { fieldErrors: Record<string, string>; values: Record<string, string> };
    expect(refusal.fieldErrors.confirmRepeats).toBe(`The ${label} repeats a sentence of the locked part: “${LOCKED}”`);
    const stored = fields.slug;
    expect(await db.select().from(articles).where(eq(articles.slug, stored))).toEqual([]);

    // Saved as a draft it is kept (the edit page warns), and the audit fails on it.
    await saved(actions.saveArticleAction(undefined, form({ ...fields, publication: "draft" })));
    expect(await auditedRepeats(stored)).toEqual([{ field, sentence: LOCKED, confirmed: false }]);

    // Confirmed as intended: published, and the confirmation is in the audit log.
    const [{ id }] = (await db.select({ id: articles.id }).from(articles).where(eq(articles.slug, stored))) as [{ id: number }];
    await saved(actions.saveArticleAction(undefined, form({ ...fields, id: String(id), confirmRepeats: refusal.values.confirmRepeats! })));
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "article.repeat-confirmed")).orderBy(desc(auditLog.id)).limit(1);
    expect(entry).toMatchObject({ targetType: "article", targetId: String(id), actorEmail: "editor@ledger.test" });
    expect(await auditedRepeats(stored)).toEqual([{ field, sentence: LOCKED, confirmed: true }]);
    // Saved again, the confirmed repeat needs no new confirmation.
    await saved(actions.saveArticleAction(undefined, form({ ...fields, id: String(id) })));
  });

  it("a new article is published at once when the admin confirms on the first refusal", async () => {
    const fields = article("repeat-new", { dek: LOCKED });
    const refused = (await actions.saveArticleAction(undefined, form(fields))) as { values: Record<string, string> };
    await saved(actions.saveArticleAction(undefined, form({ ...fields, confirmRepeats: refused.values.confirmRepeats! })));
    const [{ id }] = (await db.select({ id: articles.id }).from(articles).where(eq(articles.slug, "repeat-new"))) as [{ id: number }];
    const entries = await db.select().from(auditLog).where(eq(auditLog.targetId, String(id)));
    expect(entries.map((e) => e.action).sort()).toEqual(["article.create", "article.repeat-confirmed"]);
  });

  it("a confirmation covers only the repeats it named: a new one is refused again", async () => {
    const fields = article("repeat-two", { dek: LOCKED });
    const first = (await actions.saveArticleAction(undefined, form(fields))) as { values: Record<string, string> };
    const both = { ...fields, heroImageAlt: "Nobody at the ceremony mentioned the pier, or the sale was signed in March" };
    const again = await actions.saveArticleAction(undefined, form({ ...both, confirmRepeats: first.values.confirmRepeats! }));
    expect(again).toMatchObject({ ok: false, fieldErrors: { heroImageAlt: expect.any(String) } });
  });

  it("a free article has no locked part, and a short or common phrase is no repeat", async () => {
    await saved(actions.saveArticleAction(undefined, form(article("free-repeat", { access: "free", dek: LOCKED }))));
    await saved(actions.saveArticleAction(undefined, form(article("short-repeat", { dek: "The sale was signed." }))));
    expect(await auditedRepeats("free-repeat")).toEqual([]);
    expect(await auditedRepeats("short-repeat")).toEqual([]);
  });
});
