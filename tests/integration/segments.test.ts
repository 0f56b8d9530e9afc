/**
 * Segment rules on a real database, through the real actions and the real reading path: the
 * admin's form refuses bad input and saves nothing; create, edit, reorder and delete are each
 * audit-logged and heard by the reading path (first match wins); an experiment targeted at a rule
 * assigns only the readers it matches; a draft experiment is edited with the same checks as a new
 * one; a rule change never resets a reader's meter, and within a visit the limit never drops.
 */
import { and, eq } from "drizzle-orm";
import { NextRequest, type NextResponse } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { auditLog, experiments, experimentVariants, segmentRules } from "@/db/schema";
import { form } from "./support/action-forms";
import { adminSession, fixtureText, signedInAs, signOutAndClose } from "./support/admin-harness";
import { changesHeard } from "./support/change-fence";
import { type AppDatabase, engines, openAppDatabase } from "./support/databases";

vi.mock("next/headers", async () => (await import("./support/next-request")).nextHeaders());
vi.mock("next/cache", async (original) => (await import("./support/next-request")).nextCache(await original()));

const SITE = "http://ledger.test";
const GOOGLE = "https://www.google.com/";
const DEFAULT_HEADING = "Subscribe for unlimited access";
const headingOf = (page: string) => /<h2 id="paywall-heading" class="paywall__heading">([^<]*)<\/h2>/.exec(page)?.[1];
const remainingOf = (page: string) => Number(/data-meter-remaining="(\d+)"/.exec(page)?.[1] ?? NaN);

/** A form whose checkbox groups repeat their name, as a browser sends them. */
function ruleForm(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) data.append(key, v);
  return data;
}

describe.each(engines)("segments on %s", (engine) => {
  let t: AppDatabase;
  let db: Db;
  let adminToken: string;
  let locked: string;
  const metered: string[] = [];

  beforeAll(async () => {
    t = await openAppDatabase(engine);
    db = t.db;
    const { importPlainTextArticle } = await import("@/lib/content/import-article");
    ({ slug: locked } = await importPlainTextArticle(db, fixtureText, { slug: "segment-locked", access: "subscribers" }));
    for (const slug of ["seg-one", "seg-two", "seg-three", "seg-four", "seg-five"]) metered.push((await importPlainTextArticle(db, fixtureText, { slug, access: "metered" })).slug);
    adminToken = (await adminSession(db)).token;
  });
  afterAll(() => signOutAndClose(t));

  const asAdmin = <T>(run: () => Promise<T>) => signedInAs(adminToken, run);
  const actions = () => import("@/app/admin/segments/actions");
  const rules = () => db.select().from(segmentRules);
  const audits = (action: string) => db.select().from(auditLog).where(eq(auditLog.action, action));

  /** One browser: its cookies, kept between reads as a browser keeps them. */
  function browser(userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36") {
    const cookies = new Map<string, string>();
    const keep = (response: NextResponse) => {
      for (const c of response.cookies.getAll()) cookies.set(c.name, c.value);
    };
    return {
      cookies,
      async read(slug: string, referer: string | null = null): Promise<string> {
        const { articleResponse } = await import("@/lib/reading/article-response");
        const headers: Record<string, string> = { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; "), "user-agent": userAgent };
        if (referer) headers.referer = referer;
        const response = await articleResponse(new NextRequest(`${SITE}/articles/${slug}`, { headers }), slug, "read");
        expect(response.status).toBe(200);
        keep(response);
        return response.text();
      },
    };
  }

  it("refuses bad input field by field and saves nothing", async () => {
    const { createSegmentAction, updateSegmentAction } = await actions();
    const [before, auditBefore] = [await rules(), (await db.select().from(auditLog)).length];
    const bad = await asAdmin(() => createSegmentAction(undefined, ruleForm({ name: "", referrer: ["search", "moon"], device: "phone", countries: "Germany", anonymousLimit: "-3", heading: "x".repeat(500) })));
    expect(bad).toMatchObject({
      ok: false,
      fieldErrors: {
        name: "Enter a name",
        referrer: "Choose referrer classes from the list",
        device: "Choose mobile, tablet or desktop",
        countries: "Enter two-letter country codes separated by commas, like DE, AT",
        anonymousLimit: expect.any(String),
        heading: "At most 120 characters",
      },
    });
    expect(await asAdmin(() => createSegmentAction(undefined, ruleForm({ name: "Nothing", referrer: "search" })))).toMatchObject({ ok: false, fieldErrors: { name: "This rule changes nothing: set at least one of its settings" } });
    expect(await asAdmin(() => createSegmentAction(undefined, ruleForm({ name: "Ghost offer", heading: "Hi", offer: "999999" })))).toMatchObject({ ok: false, fieldErrors: { offer: "That offer no longer exists" } });
    expect(await asAdmin(() => updateSegmentAction(undefined, ruleForm({ id: "999999", name: "Gone", heading: "Hi" })))).toMatchObject({ ok: false, message: "This rule no longer exists." });
    expect(await rules()).toEqual(before);
    expect((await db.select().from(auditLog)).length).toBe(auditBefore);
  });

  it("a rule for search arrivals shows its heading and meter, a direct visit today's; edit, reorder and delete are audit-logged and heard", async () => {
    const { createSegmentAction, updateSegmentAction, moveSegmentAction, deleteSegmentAction } = await actions();
    // A first read starts this process's cached rules (and its LISTEN), which the changes below update.
    expect(headingOf(await browser().read(locked, GOOGLE))).toBe(DEFAULT_HEADING);
    expect(await asAdmin(() => createSegmentAction(undefined, ruleForm({ name: "From search", referrer: "search", anonymousLimit: "1", heading: "Found us on search?" })))).toMatchObject({ ok: true });
    expect(await asAdmin(() => createSegmentAction(undefined, ruleForm({ name: "Everyone on a phone", device: "mobile", heading: "Reading on the go?" })))).toMatchObject({ ok: true });
    await changesHeard(db);
    const [search, phone] = (await rules()).sort((a, b) => a.position - b.position);
    expect([search!.name, phone!.name]).toEqual(["From search", "Everyone on a phone"]);

    const direct = await browser().read(locked);
    expect(headingOf(direct)).toBe(DEFAULT_HEADING);
    expect(remainingOf(direct)).toBe(3);
    const fromSearch = await browser().read(locked, GOOGLE);
    expect(headingOf(fromSearch)).toBe("Found us on search?");
    expect(remainingOf(fromSearch)).toBe(1);
    // A phone from search: the search rule is first, so it wins.
    const iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    expect(headingOf(await browser(iphone).read(locked, GOOGLE))).toBe("Found us on search?");
    expect(headingOf(await browser(iphone).read(locked))).toBe("Reading on the go?");

    // Reordered: the phone rule first now wins for a phone from search.
    expect(await asAdmin(() => moveSegmentAction(undefined, form({ id: phone!.id, direction: "up" })))).toMatchObject({ ok: true });
    expect(await asAdmin(() => moveSegmentAction(undefined, form({ id: phone!.id, direction: "up" })))).toMatchObject({ ok: false, message: "This rule is already first." });
    await changesHeard(db);
    expect(headingOf(await browser(iphone).read(locked, GOOGLE))).toBe("Reading on the go?");

    // Edited with bad input: nothing changes; with good input, the reading path has it at once.
    const [saved] = await db.select().from(segmentRules).where(eq(segmentRules.id, search!.id));
    const bad = await asAdmin(() => updateSegmentAction(undefined, ruleForm({ id: String(search!.id), name: "From search", referrer: "search", registeredLimit: "abc" })));
    expect(bad).toMatchObject({ ok: false, fieldErrors: { registeredLimit: "Enter a whole number of articles, or leave it blank" } });
    expect((await db.select().from(segmentRules).where(eq(segmentRules.id, search!.id)))[0]).toEqual(saved);
    expect(await asAdmin(() => updateSegmentAction(undefined, ruleForm({ id: String(search!.id), name: "From search", referrer: ["search", "social"], anonymousLimit: "2", heading: "Welcome, searcher" })))).toMatchObject({ ok: true });
    await changesHeard(db);
    const edited = await browser().read(locked, "https://t.co/x");
    expect(headingOf(edited)).toBe("Welcome, searcher");
    expect(remainingOf(edited)).toBe(2);

    expect(await asAdmin(() => deleteSegmentAction(undefined, form({ id: phone!.id })))).toMatchObject({ ok: true });
    await changesHeard(db);
    expect(headingOf(await browser(iphone).read(locked))).toBe(DEFAULT_HEADING);
    for (const action of ["segment.create", "segment.update", "segment.move", "segment.delete"]) expect((await audits(action)).length).toBeGreaterThan(0);
    const [deleted] = await audits("segment.delete");
    expect(deleted).toMatchObject({ targetType: "segment", targetId: String(phone!.id), after: null });
  });

  it("the access trace shows the matched rule for the request the admin picks", async () => {
    const { traceReading } = await import("@/lib/trace/trace-reading");
    const fromSearch = await traceReading(db, { kind: "anonymous", meter: null }, locked, "read", new Date(), { referrer: "search", device: "desktop", country: null });
    expect(fromSearch?.explained.segment?.name).toBe("From search");
    expect(fromSearch?.explained.policy.anonymousLimit).toBe(2);
    const direct = await traceReading(db, { kind: "anonymous", meter: null }, locked, "read");
    expect(direct?.explained.segment).toBeNull();
  });

  it("a rule change never resets the meter; within a visit the limit never drops below what was shown", async () => {
    const { updateSegmentAction } = await actions();
    const [search] = await db.select().from(segmentRules).where(eq(segmentRules.name, "From search"));
    expect(await asAdmin(() => updateSegmentAction(undefined, ruleForm({ id: String(search!.id), name: "From search", referrer: "search", anonymousLimit: "5", heading: "Welcome, searcher" })))).toMatchObject({ ok: true });
    await changesHeard(db);
    const reader = browser();
    expect(remainingOf(await reader.read(metered[0]!, GOOGLE))).toBe(4);
    expect(remainingOf(await reader.read(metered[1]!))).toBe(3);
    expect(reader.cookies.has("mh_visit")).toBe(true);

    // The rule gets stricter mid-visit: this visit keeps the 5 it was shown; the count is kept.
    expect(await asAdmin(() => updateSegmentAction(undefined, ruleForm({ id: String(search!.id), name: "From search", referrer: "search", anonymousLimit: "1", heading: "Welcome, searcher" })))).toMatchObject({ ok: true });
    await changesHeard(db);
    const third = await reader.read(metered[2]!);
    expect(third).toContain('data-access="full"');
    expect(remainingOf(third)).toBe(2);

    // A new visit (the visit cookie gone, the meter kept) from search gets today's rule: 1, with 3 already read.
    reader.cookies.delete("mh_visit");
    const later = await reader.read(metered[3]!, GOOGLE);
    expect(later).not.toContain('data-access="full"');
    expect(remainingOf(later)).toBe(0);
    // Nothing was reset: what was counted stays open.
    expect(await reader.read(metered[0]!, GOOGLE)).toContain('data-access="full"');
  });

  it("an experiment targeted at a rule assigns only the readers it matches; a draft is edited with the same checks, and its rule cannot be deleted", async () => {
    const { createExperimentAction, updateExperimentAction, startExperimentAction, stopExperimentAction } = await import("@/app/admin/experiments/actions");
    const { deleteSegmentAction } = await actions();
    const [search] = await db.select().from(segmentRules).where(eq(segmentRules.name, "From search"));
    const fields = { name: "Search copy", segment: String(search!.id), v0_name: "Control", v0_weight: "1", v1_name: "Loud", v1_weight: "100", v1_heading: "Searchers subscribe here" };
    expect(await asAdmin(() => createExperimentAction(undefined, form({ ...fields, segment: "999999" })))).toMatchObject({ ok: false, fieldErrors: { segment: "That segment rule no longer exists" } });
    expect(await asAdmin(() => createExperimentAction(undefined, form({ ...fields, v1_heading: "Draft heading" })))).toMatchObject({ ok: true });
    const [experiment] = await db.select().from(experiments).where(eq(experiments.name, "Search copy"));

    // Editing the draft: the create form's checks, nothing saved on bad input.
    const variantsBefore = await db.select().from(experimentVariants).where(eq(experimentVariants.experimentId, experiment!.id));
    const bad = await asAdmin(() => updateExperimentAction(undefined, form({ ...fields, id: experiment!.id, v1_weight: "500" })));
    expect(bad).toMatchObject({ ok: false, fieldErrors: { v1_weight: "At most 100" } });
    expect(await db.select().from(experimentVariants).where(eq(experimentVariants.experimentId, experiment!.id))).toEqual(variantsBefore);
    expect(await asAdmin(() => updateExperimentAction(undefined, form({ ...fields, id: experiment!.id })))).toMatchObject({ ok: true });
    const [loud] = await db.select().from(experimentVariants).where(and(eq(experimentVariants.experimentId, experiment!.id), eq(experimentVariants.position, 1)));
    expect(loud!.paywallHeading).toBe("Searchers subscribe here");
    expect((await audits("experiment.update")).length).toBe(1);

    expect(await asAdmin(() => deleteSegmentAction(undefined, form({ id: search!.id })))).toMatchObject({ ok: false, message: expect.stringContaining("Search copy") });
    expect(await asAdmin(() => startExperimentAction(undefined, form({ id: experiment!.id })))).toMatchObject({ ok: true });
    expect(await asAdmin(() => updateExperimentAction(undefined, form({ ...fields, id: experiment!.id })))).toMatchObject({ ok: false, message: "Only a draft can be edited: this one has started." });
    await changesHeard(db);

    // Direct readers are never assigned (the default paywall); search readers are (100 to 1 in the loud variant).
    for (let i = 0; i < 8; i++) expect(headingOf(await browser().read(locked))).toBe(DEFAULT_HEADING);
    const searchHeadings = new Set<string>();
    for (let i = 0; i < 6; i++) searchHeadings.add(headingOf(await browser().read(locked, GOOGLE))!);
    expect(searchHeadings.has("Searchers subscribe here")).toBe(true);
    expect([...searchHeadings].every((h) => h === "Searchers subscribe here" || h === "Welcome, searcher")).toBe(true);
    expect(await asAdmin(() => stopExperimentAction(undefined, form({ id: experiment!.id })))).toMatchObject({ ok: true });
  });
});
