/**
 * Paywall experiments on a real database, through the real routes: the admin's form refuses bad
 * input and saves nothing; a started experiment puts each new browser in a variant by its signed
 * reader id (kept, unforgeable), whose paywall and meter limit it gets from memory; a reader who
 * signs in keeps the variant; a checkout and the subscription Stripe settles are credited to the
 * variant and the article; the results count readers, paywall views and conversions per variant;
 * the trace names the variant; stopping ends assignment; a winner is applied in one step.
 */
import { and, eq } from "drizzle-orm";
import { NextRequest, type NextResponse } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog, conversions, experiments, experimentVariants, plans, users } from "@/db/schema";
import { mainFixture } from "../support/fixtures";
import { form } from "./support/action-forms";
import { createSignedInUser, SESSION_COOKIE, signedInAs } from "./support/admin-harness";
import { billingAppForSuite } from "./support/billing-app";
import { changesHeard } from "./support/change-fence";
import { engines } from "./support/databases";

// Server code's cookies(): the admin's session, or a browser's cookies for a sign-in event.
const jar = vi.hoisted(() => new Map<string, string>());
vi.mock("next/headers", async () => {
  const { mockedCookies } = await import("./support/admin-harness");
  return {
    cookies: async () => {
      const session = mockedCookies();
      return { ...session, get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : session.get(name)) };
    },
    headers: async () => new Headers({ "user-agent": "vitest" }),
  };
});
vi.mock("next/cache", async (original) => (await import("./support/next-request")).nextCache(await original()));

const SITE = "http://ledger.test";
const CARD = "4242424242424242";
const VARIANT_HEADING = "Half price for curious readers";

describe.each(engines)("experiments on %s", (engine) => {
  const admin = { id: "experiments-admin", email: "admin@ledger.test" };
  const app = billingAppForSuite(engine, { key: "sk_test_experiments", secret: "whsec_experiments_0123456789abcdef0123456789ab", admin });
  const db = () => app.db();

  let lockedSlug: string;
  let lockedId: number;
  let meteredSlugs: string[];
  let experimentId: number;
  let adminToken: string;
  beforeAll(async () => {
    const { importPlainTextArticle } = await import("@/lib/content/import-article");
    ({ slug: lockedSlug, id: lockedId } = await importPlainTextArticle(await db(), mainFixture.text, { slug: "experiment-story", access: "subscribers" }));
    meteredSlugs = [];
    for (const slug of ["metered-one", "metered-two"]) meteredSlugs.push((await importPlainTextArticle(await db(), mainFixture.text, { slug, access: "metered" })).slug);
    ({ token: adminToken } = await createSignedInUser(await db(), "boss@ledger.test", "admin"));
  });

  const asAdmin = <T>(run: () => Promise<T>) => signedInAs(adminToken, run);

  /** One browser: its cookies, kept between reads as a browser keeps them. */
  function browser(extra: Record<string, string> = {}) {
    const cookies = new Map<string, string>(Object.entries(extra));
    const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const keep = (response: NextResponse) => {
      for (const c of response.cookies.getAll()) cookies.set(c.name, c.value);
    };
    return {
      cookies,
      async read(slug: string): Promise<string> {
        const { articleResponse } = await import("@/lib/reading/article-response");
        const response = await articleResponse(new NextRequest(`${SITE}/articles/${slug}`, { headers: { cookie: header() } }), slug, "read");
        expect(response.status).toBe(200);
        keep(response);
        return response.text();
      },
      async checkout(): Promise<string> {
        const { POST } = await import("@/app/subscribe/checkout/route");
        const [monthly] = await (await db()).select().from(plans).where(eq(plans.name, "Monthly"));
        const body = new URLSearchParams({ plan: String(monthly!.id), return: `/articles/${lockedSlug}` });
        const response = await POST(new NextRequest(`${SITE}/subscribe/checkout`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", cookie: header() } }));
        expect(response.status).toBe(303);
        return response.headers.get("location")!;
      },
    };
  }
  type Browser = ReturnType<typeof browser>;
  const headingOf = (page: string) => /<h2 id="paywall-heading" class="paywall__heading">([^<]*)<\/h2>/.exec(page)?.[1];

  it("refuses bad input field by field and saves nothing", async () => {
    const { createExperimentAction } = await import("@/app/admin/experiments/actions");
    const before = (await (await db()).select().from(experiments)).length;
    const bad = await asAdmin(() =>
      createExperimentAction(
        undefined,
        form({ name: "", v0_name: "Control", v0_weight: "50", v1_name: "Nothing", v1_weight: "500", v2_heading: "Orphan", v3_name: "Bad order", v3_weight: "10", v3_planOrder: "1, x" }),
      ),
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.fieldErrors).toMatchObject({
      name: "Enter a name",
      v1_weight: "At most 100",
      v3_planOrder: "Enter plan ids separated by commas, like 3, 1",
    });
    const orphan = await asAdmin(() => createExperimentAction(undefined, form({ name: "Orphan", v0_name: "Control", v0_weight: "50", v1_name: "B", v1_weight: "50", v1_button: "Get", v2_heading: "Orphan" })));
    expect(orphan).toMatchObject({ ok: false, fieldErrors: { v2_name: "Name this variant, or clear its fields" } });
    // An offer that does not exist is the database's answer: a field error too.
    const unknownOffer = await asAdmin(() => createExperimentAction(undefined, form({ name: "Offer test", v0_name: "Control", v0_weight: "50", v1_name: "Offer", v1_weight: "50", v1_offer: "999999" })));
    expect(unknownOffer).toMatchObject({ ok: false, fieldErrors: { v1_offer: "That offer no longer exists" } });
    const nothing = await asAdmin(() => createExperimentAction(undefined, form({ name: "Empty", v0_name: "Control", v0_weight: "50", v1_name: "Same", v1_weight: "50" })));
    expect(nothing).toMatchObject({ ok: false, fieldErrors: { v1_name: "This variant changes nothing: set at least one of its settings" } });
    expect((await (await db()).select().from(experiments)).length).toBe(before);
  });

  it("a started experiment splits new browsers between two paywalls by their signed id, sticky, and a forged id is replaced", async () => {
    const { createExperimentAction, startExperimentAction } = await import("@/app/admin/experiments/actions");
    const made = await asAdmin(() =>
      createExperimentAction(undefined, form({ name: "Heading test", v0_name: "Control", v0_weight: "50", v1_name: "Curious", v1_weight: "50", v1_heading: VARIANT_HEADING, v1_anonymousLimit: "1" })),
    );
    expect(made.ok).toBe(true);
    const [experiment] = await (await db()).select().from(experiments).where(eq(experiments.name, "Heading test"));
    experimentId = experiment!.id;
    // A draft assigns nobody.
    const early = browser();
    expect(headingOf(await early.read(lockedSlug))).toBe("Subscribe for unlimited access");
    expect(early.cookies.has("mh_rid")).toBe(false);

    expect(await asAdmin(() => startExperimentAction(undefined, form({ id: experimentId })))).toMatchObject({ ok: true });
    // This process forgets its cached list when the start's NOTIFY comes back (asynchronously on PostgreSQL).
    await changesHeard(await db());
    const seen = new Map<string, Browser>();
    for (let i = 0; i < 40 && seen.size < 2; i++) {
      const b = browser();
      const heading = headingOf(await b.read(lockedSlug))!;
      expect(b.cookies.get("mh_rid")).toBeDefined();
      if (!seen.has(heading)) seen.set(heading, b);
    }
    expect([...seen.keys()].sort()).toEqual([VARIANT_HEADING, "Subscribe for unlimited access"].sort());
    // Sticky: the same browser sees the same paywall on every read.
    for (const [heading, b] of seen) for (let i = 0; i < 3; i++) expect(headingOf(await b.read(lockedSlug))).toBe(heading);
    // A made-up or edited id proves nothing: the browser gets a new signed id instead.
    const forged = browser({ mh_rid: `${"A".repeat(22)}.${"B".repeat(43)}` });
    await forged.read(lockedSlug);
    expect(forged.cookies.get("mh_rid")).not.toBe(`${"A".repeat(22)}.${"B".repeat(43)}`);
    state.control = seen.get("Subscribe for unlimited access")!;
    state.curious = seen.get(VARIANT_HEADING)!;
  });
  const state = {} as { control: Browser; curious: Browser };

  it("the variant's meter limit is the reader's (the count is never reset); the trace names the variant", async () => {
    // The curious variant allows one metered article; the control the site's three.
    expect(await state.curious.read(meteredSlugs[0]!)).toContain('data-access="full"');
    const second = await state.curious.read(meteredSlugs[1]!);
    expect(second).not.toContain('data-access="full"');
    expect(second).toContain("You have read your 1 free article");
    expect(await state.control.read(meteredSlugs[0]!)).toContain('data-access="full"');
    expect(await state.control.read(meteredSlugs[1]!)).toContain('data-access="full"');

    const { whyForReader } = await import("@/lib/trace/reader-why");
    const jarOf = (b: Browser) => ({ get: (name: string) => (b.cookies.has(name) ? { value: b.cookies.get(name)! } : undefined) });
    const why = await whyForReader(jarOf(state.curious), meteredSlugs[1]!);
    expect(why!.variants).toEqual([{ experimentName: "Heading test", variantName: "Curious", control: false }]);
    expect(why!.explanation.summary).toBeTruthy();
    const { adminTrace } = await import("@/lib/trace/admin-trace");
    const traced = await adminTrace({ reader: why!.traceId, article: "", intent: "read" });
    expect(traced.ok && traced.trace.explained.variants[0]?.variantName).toBe("Curious");
    expect(traced.ok && traced.trace.explained.policy.anonymousLimit).toBe(1);
  });

  it("a reader who signs in keeps the variant they had", async () => {
    const { onSignedIn } = await import("@/lib/auth/on-signed-in");
    const user = await createSignedInUser(await db(), "curious-reader@ledger.test", "reader");
    jar.set("mh_rid", state.curious.cookies.get("mh_rid")!);
    try {
      await onSignedIn(user.id);
    } finally {
      jar.clear();
    }
    const [row] = await (await db()).select({ key: users.experimentKey }).from(users).where(eq(users.id, user.id));
    expect(row!.key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Signed in on another browser, with no reader id there: the account's key keeps the variant.
    const elsewhere = browser({ [SESSION_COOKIE]: user.token });
    expect(headingOf(await elsewhere.read(lockedSlug))).toBe(VARIANT_HEADING);
    expect(elsewhere.cookies.has("mh_rid")).toBe(false);
  });

  it("a checkout and its subscription are credited to the variant and the article; the results count them", async () => {
    // The card the reader paid from: the last article read.
    await state.curious.read(lockedSlug);
    const url = await state.curious.checkout();
    const session = new URL(url).pathname.split("/").at(-1)!;
    const [variant] = await (await db()).select().from(experimentVariants).where(and(eq(experimentVariants.experimentId, experimentId), eq(experimentVariants.name, "Curious")));
    const [started] = await (await db()).select().from(conversions).where(and(eq(conversions.checkoutSessionId, session), eq(conversions.event, "checkout_started")));
    expect(started).toMatchObject({ articleId: lockedId, variantIds: [variant!.id] });
    expect((await app.pay(url, CARD, "curious-buyer@ledger.test")).status).toBe(303);
    await app.settle();
    const [subscribed] = await (await db()).select().from(conversions).where(and(eq(conversions.checkoutSessionId, session), eq(conversions.event, "subscribed")));
    expect(subscribed).toMatchObject({ articleId: lockedId, variantIds: [variant!.id] });

    await (await import("@/lib/experiments/experiment-events")).flushExperimentEvents();
    const { experimentReport } = await import("@/lib/admin/experiments/queries");
    const report = (await experimentReport(await db(), experimentId))!;
    const [control, curious] = report.results.variants;
    expect(curious).toMatchObject({ name: "Curious", checkouts: 1, subscriptions: 1 });
    expect(control).toMatchObject({ name: "Control", checkouts: 0, subscriptions: 0 });
    expect(curious!.readers).toBeGreaterThanOrEqual(1);
    expect(control!.readers).toBeGreaterThanOrEqual(1);
    // Each browser is a reader of its variant once, however often it read.
    expect(control!.readers + curious!.readers).toBeLessThanOrEqual(41);
    expect(curious!.paywallViews).toBeGreaterThanOrEqual(5);
    expect(report.results.tooLittleData).toBe(true);
    expect(report.revenue.get(variant!.id)?.mrrAdded[0]?.amount).toBeGreaterThan(0);
    expect(report.articles).toEqual([{ variantId: variant!.id, articleId: lockedId, slug: lockedSlug, title: expect.any(String), subscriptions: 1 }]);
  });

  it("stopping ends assignment on the next request; a winner is applied as the site's default in one step, audit-logged", async () => {
    const { stopExperimentAction, applyWinnerAction } = await import("@/app/admin/experiments/actions");
    expect(await asAdmin(() => stopExperimentAction(undefined, form({ id: experimentId })))).toMatchObject({ ok: true });
    await changesHeard(await db());
    const late = browser();
    expect(headingOf(await late.read(lockedSlug))).toBe("Subscribe for unlimited access");
    expect(late.cookies.has("mh_rid")).toBe(false);
    expect(headingOf(await state.curious.read(lockedSlug))).toBe("Subscribe for unlimited access");

    const [variant] = await (await db()).select().from(experimentVariants).where(and(eq(experimentVariants.experimentId, experimentId), eq(experimentVariants.name, "Curious")));
    expect(await asAdmin(() => applyWinnerAction(undefined, form({ id: experimentId, variantId: variant!.id })))).toMatchObject({ ok: true });
    await changesHeard(await db());
    expect(headingOf(await browser().read(lockedSlug))).toBe(VARIANT_HEADING);
    const { getReadingSettings } = await import("@/lib/settings");
    expect((await getReadingSettings()).policy.anonymousLimit).toBe(1);
    const [entry] = await (await db()).select().from(auditLog).where(eq(auditLog.action, "experiment.apply_winner"));
    expect(entry).toMatchObject({ targetId: String(experimentId) });
    // Once only.
    expect(await asAdmin(() => applyWinnerAction(undefined, form({ id: experimentId, variantId: variant!.id })))).toMatchObject({ ok: false });
  });
});
