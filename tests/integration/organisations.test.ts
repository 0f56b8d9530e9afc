import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog, billingMails, organisationMembers, organisations, users } from "@/db/schema";
import { METER_COOKIE } from "@/lib/access/meter";
import { resetEnvForTests } from "@/lib/env";
import { PEER_HEADER, peerHeaderValue } from "@/lib/http/client-address";
import { listMailboxMessages, messageLinks, waitForMessage } from "@/lib/mail/mailbox";
import { startSmtpSink } from "@/tools/smtp-sink";
import { form } from "./support/action-forms";
import { adminSession, cookieState, createSignedInUser, fixtureText, SESSION_COOKIE, signOutAndClose } from "./support/admin-harness";
import { type AppDatabase, engines, openAppDatabase } from "./support/databases";

vi.mock("next/headers", async () => (await import("./support/next-request")).nextHeaders());
vi.mock("next/cache", async (original) => (await import("./support/next-request")).nextCache(await original()));

const SITE = "http://ledger.test";
const LAST = "expects to have cleared the backlog by the middle of next week";
const DAY = 86_400_000;
const dayOf = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

/** The admin form's fields for a running licence; override any. */
const licenceForm = (fields: Record<string, string | number> = {}) =>
  form({ name: "Harbour Library", seats: 3, termStart: dayOf(-10), termEnd: dayOf(355), amount: "12000.00", currency: "usd", managers: "", domains: "", ipRanges: "", ...fields });

describe.each(engines)("group licences on %s", (engine) => {
  let t: AppDatabase;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  const mailbox = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-org-mail-"));
  let lockedSlug: string;
  let articleResponse: typeof import("@/lib/reading/article-response").articleResponse;
  let admin: typeof import("@/app/admin/organisations/actions");
  let org: typeof import("@/app/org/actions");
  let adminToken: string;

  beforeAll(async () => {
    sink = await startSmtpSink({ dir: mailbox });
    t = await openAppDatabase(engine, { SITE_URL: SITE, EMAIL_SERVER: sink.url, ADMIN_EMAILS: "publisher@ledger.test" });
    const { importPlainTextArticle } = await import("@/lib/content/import-article");
    lockedSlug = (await importPlainTextArticle(t.db, fixtureText, { slug: "for-subscribers", access: "subscribers" })).slug;
    ({ articleResponse } = await import("@/lib/reading/article-response"));
    admin = await import("@/app/admin/organisations/actions");
    org = await import("@/app/org/actions");
    adminToken = (await adminSession(t.db)).token;
  });
  afterAll(async () => {
    await sink.close();
    await signOutAndClose(t);
  });

  const as = (token: string | null) => void (cookieState.sessionToken = token);
  const read = async (headers: Record<string, string>) => {
    const response = await articleResponse(new NextRequest(`${SITE}/articles/${lockedSlug}`, { headers }), lockedSlug, "read");
    return { full: (await response.text()).includes(LAST), meterCookie: response.cookies.get(METER_COOKIE) ?? null };
  };
  const readAs = (token: string) => read({ cookie: `${SESSION_COOKIE}=${token}` });
  const fromAddress = (peer: string, headers: Record<string, string> = {}) => read({ ...headers, [PEER_HEADER]: peerHeaderValue(peer) });
  const count = async (table: typeof organisations | typeof auditLog | typeof organisationMembers) => Number((await t.db.select({ n: sql<number>`count(*)` }).from(table))[0]!.n);

  async function createOrganisation(fields: Record<string, string | number>): Promise<number> {
    as(adminToken);
    const result = await admin.createOrganisationAction(undefined, licenceForm(fields));
    expect(result).toMatchObject({ ok: true });
    const [row] = await t.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.name, String(fields.name)));
    return row!.id;
  }

  describe("the admin's form", () => {
    it.each([
      ["a bad CIDR", { ipRanges: "192.0.2.0/24\n10.0.0.1/8" }, "ipRanges", /did you mean 10\.0\.0\.0\/8/],
      ["a prefix too long", { ipRanges: "2001:db8::/129" }, "ipRanges", /from 0 to 128/],
      ["a domain with @", { domains: "@example.org" }, "domains", /is not a domain/],
      ["a wildcard domain", { domains: "*.example.org" }, "domains", /is not a domain/],
      ["a manager who is not an address", { managers: "it-desk" }, "managers", /not an email address/],
      ["an end before the start", { termStart: dayOf(5), termEnd: dayOf(1) }, "termEnd", /end after it starts/],
      ["a date not in the calendar", { termStart: "2026-02-30" }, "termStart", /not a date in the calendar/],
      ["no seats", { seats: "0" }, "seats", /At least 1 seat/],
      ["a price in words", { amount: "lots" }, "amount", /amount like/],
    ])("refuses %s with a field error, saving nothing", async (_name, fields, field, message) => {
      as(adminToken);
      const [orgs, audits] = [await count(organisations), await count(auditLog)];
      const result = await admin.createOrganisationAction(undefined, licenceForm({ name: "Never saved", ...fields }));
      expect(result).toMatchObject({ ok: false });
      expect((result as { fieldErrors: Record<string, string> }).fieldErrors[field]).toMatch(message);
      expect([await count(organisations), await count(auditLog)]).toEqual([orgs, audits]);
    });

    it("saves a valid licence with canonical ranges and lower-case lists, audited; refuses seats below those taken", async () => {
      const id = await createOrganisation({ name: "Canonical Co", managers: "IT@Canonical.example", domains: "Canonical.example", ipRanges: "2001:DB8:0::/48, 198.51.100.0/24" });
      const [row] = await t.db.select().from(organisations).where(eq(organisations.id, id));
      expect(row).toMatchObject({ seats: 3, priceAmount: 1_200_000, managerEmails: ["it@canonical.example"], domains: ["canonical.example"], ipRanges: ["2001:db8::/48", "198.51.100.0/24"] });
      const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.action, "organisation.create")).orderBy(sql`${auditLog.id} desc`).limit(1);
      expect(entry).toMatchObject({ targetType: "organisation", targetId: String(id) });
      const member = await createSignedInUser(t.db, "one@canonical.example", "reader");
      await t.db.insert(organisationMembers).values([{ organisationId: id, userId: member.id, via: "domain" }]);
      const other = await createSignedInUser(t.db, "two@canonical.example", "reader");
      await t.db.insert(organisationMembers).values([{ organisationId: id, userId: other.id, via: "domain" }]);
      as(adminToken);
      const refused = await admin.updateOrganisationAction(undefined, licenceForm({ id, name: "Canonical Co", seats: 1 }));
      expect((refused as { fieldErrors: Record<string, string> }).fieldErrors.seats).toMatch(/2 seats are taken/);
      expect((await t.db.select({ seats: organisations.seats }).from(organisations).where(eq(organisations.id, id)))[0]!.seats).toBe(3);
    });
  });

  it("a manager invites by email; only the invited, verified address accepts, once; the member reads in full until removed", async () => {
    const id = await createOrganisation({ name: "Port Newsroom", managers: "editor@newsroom.example" });
    const manager = await createSignedInUser(t.db, "editor@newsroom.example", "reader");
    const invitee = await createSignedInUser(t.db, "reporter@elsewhere.example", "reader");
    const stranger = await createSignedInUser(t.db, "stranger@elsewhere.example", "reader");
    // The invited address, but never proven (a checkout's account): it accepts nothing.
    const [unproven] = await t.db.insert(users).values({ email: "reporter2@elsewhere.example" }).returning({ id: users.id });

    as(stranger.token);
    expect(await org.inviteAction(null, form({ organisationId: id, emails: "reporter@elsewhere.example" }))).toMatchObject({ ok: false, message: /No such organisation/ });
    as(manager.token);
    expect(await org.inviteAction(null, form({ organisationId: id, emails: "reporter@elsewhere.example\nnot-an-address\n" }))).toMatchObject({
      ok: false,
      message: /line 2 \(“not-an-address”\).*Nothing was sent/,
    });
    const asked = new Date();
    expect(await org.inviteAction(null, form({ organisationId: id, emails: "Reporter@Elsewhere.example" }))).toMatchObject({ ok: true, message: /Invited 1 address/ });
    const mail = await waitForMessage(mailbox, { to: "reporter@elsewhere.example", after: asked, timeoutMs: 10_000 });
    const link = messageLinks(mail).find((l) => l.startsWith(`${SITE}/org/invite?token=`))!;
    const token = new URL(link).searchParams.get("token")!;

    expect((await readAs(invitee.token)).full).toBe(false);
    as(stranger.token);
    expect(await org.acceptInviteAction(null, form({ token }))).toMatchObject({ ok: false, message: /for another address/ });
    const unprovenToken = (await createSessionFor(unproven!.id)).token;
    as(unprovenToken);
    expect(await org.acceptInviteAction(null, form({ token }))).toMatchObject({ ok: false, message: /for another address/ });
    as(invitee.token);
    expect(await org.acceptInviteAction(null, form({ token: "x".repeat(43) }))).toMatchObject({ ok: false, message: /not one of ours/ });
    expect(await org.acceptInviteAction(null, form({ token }))).toMatchObject({ ok: true, message: /Welcome to Port Newsroom/ });
    expect(await org.acceptInviteAction(null, form({ token }))).toMatchObject({ ok: false, message: /already used/ });

    const reading = await readAs(invitee.token);
    expect(reading.full).toBe(true);
    expect(reading.meterCookie).toBeNull();
    expect((await readAs(stranger.token)).full).toBe(false);

    const { flushLicensedReads } = await import("@/lib/analytics/licence-reads");
    await flushLicensedReads();
    const { listMembers } = await import("@/lib/organisations/managers");
    const { monthOf } = await import("@/lib/analytics/licence-reads");
    expect(await listMembers(t.db, id, monthOf(new Date()))).toEqual([expect.objectContaining({ email: "reporter@elsewhere.example", via: "invite", reads: 1 })]);

    // Removing the member: their cached facts are forgotten on every instance (the readers channel).
    as(stranger.token);
    expect(await org.removeMemberAction(null, form({ organisationId: id, userId: invitee.id }))).toMatchObject({ ok: false, message: /No such organisation/ });
    expect((await readAs(invitee.token)).full).toBe(true);
    as(manager.token);
    const removedAt = Date.now();
    expect(await org.removeMemberAction(null, form({ organisationId: id, userId: invitee.id }))).toMatchObject({ ok: true });
    await vi.waitFor(async () => expect((await readAs(invitee.token)).full).toBe(false), { timeout: 1_000, interval: 20 });
    expect(Date.now() - removedAt).toBeLessThan(1_000);
  });

  it("seat mails: the managers and the publisher hear once when 90 % and when every seat is taken, through a mail server outage, and again after a seat is freed and retaken", async () => {
    const id = await createOrganisation({ name: "Seat Counters", seats: 20, managers: "boss@seats.example", domains: "seats.example" });
    const { joinByDomain } = await import("@/lib/organisations/domain-join");
    const { removeMember } = await import("@/lib/organisations/managers");
    const { noteSeatLevel } = await import("@/lib/organisations/seat-mails");
    const { billingMailIdle, deliverBillingMails } = await import("@/lib/billing/billing-mail-delivery");
    const keys = async () =>
      (await t.db.select({ key: billingMails.key, state: billingMails.state }).from(billingMails).where(sql`${billingMails.key} like ${`organisation_seats:${id}:%`}`)).sort((a, b) =>
        a.key.localeCompare(b.key),
      );
    const members: Array<{ id: string; email: string; emailVerified: Date }> = [];
    const join = async (n: number) => {
      const email = `member${n}@seats.example`;
      const user = { id: (await createSignedInUser(t.db, email, "reader")).id, email, emailVerified: new Date() };
      members.push(user);
      expect(await joinByDomain(t.db, id, user, new Date())).toMatchObject({ ok: true });
    };
    const mailsTo = async (to: string) => (await listMailboxMessages(mailbox, { to })).filter((m) => m.subject.startsWith("Seat Counters:")).map((m) => m.subject).sort();

    for (let n = 1; n <= 17; n++) await join(n);
    await billingMailIdle();
    expect(await keys()).toEqual([]);
    await join(18);
    expect((await keys()).map((k) => k.key)).toEqual([`organisation_seats:${id}:1:boss@seats.example`, `organisation_seats:${id}:1:publisher@ledger.test`]);
    for (const to of ["boss@seats.example", "publisher@ledger.test"]) await waitForMessage(mailbox, { to, subject: /18 of 20 seats taken/, timeoutMs: 10_000 });
    await join(19);
    // Judging again with nothing changed (a replay) records nothing.
    expect(await t.db.transaction((tx) => noteSeatLevel(tx, id))).toBe(false);
    expect(await keys()).toHaveLength(2);

    // The mail server is down when the last seat is taken: the join succeeds, the mail waits.
    await billingMailIdle();
    await sink.close();
    await join(20);
    await billingMailIdle();
    const waiting = await keys();
    expect(waiting.filter((k) => k.key.startsWith(`organisation_seats:${id}:2:`)).map((k) => k.state)).toEqual(["pending", "pending"]);
    sink = await startSmtpSink({ dir: mailbox, port: sink.port });
    await t.db.update(billingMails).set({ nextAttemptAt: sql`now()` }).where(sql`${billingMails.key} like ${`organisation_seats:${id}:2:%`}`);
    await deliverBillingMails(t.db);
    for (const to of ["boss@seats.example", "publisher@ledger.test"]) await waitForMessage(mailbox, { to, subject: /20 of 20 seats taken/, timeoutMs: 10_000 });
    expect(await mailsTo("boss@seats.example")).toEqual(["Seat Counters: 18 of 20 seats taken", "Seat Counters: 20 of 20 seats taken"]);

    // A freed seat re-arms the 100 % mail (the 90 % one stays sent); taking it again is a new crossing.
    expect(await removeMember(t.db, id, members[0]!.id)).toBe(true);
    expect(await keys()).toHaveLength(4);
    await join(21);
    expect((await keys()).filter((k) => k.key.startsWith(`organisation_seats:${id}:3:`))).toHaveLength(2);
    await waitForMessage(mailbox, { to: "publisher@ledger.test", subject: /20 of 20/, after: new Date(Date.now() - 5_000), timeoutMs: 10_000 });
    await vi.waitFor(async () => expect(await mailsTo("publisher@ledger.test")).toHaveLength(3), { timeout: 10_000, interval: 50 });
  });

  it("licence MRR: a running licence counts its price per month (a year's / 12, other terms by 30.4375 days), ended and future ones not; seats and renewal shown", async () => {
    const { listOrganisationsForAdmin, loadLicenceMrr } = await import("@/lib/admin/organisations/queries");
    const { monthOf } = await import("@/lib/analytics/licence-reads");
    const now = new Date();
    const utcDay = (offset: number) => {
      const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + offset));
      return d.toISOString().slice(0, 10);
    };
    const yearAgoPlusOne = new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), 1)).toISOString().slice(0, 10);
    const yearAheadPlusOne = new Date(Date.UTC(now.getUTCFullYear() + 1, now.getUTCMonth(), 1)).toISOString().slice(0, 10);
    const before = (await loadLicenceMrr(t.db, now)).find((m) => m.currency === "eur")?.amount ?? 0;
    // A year (whole months, the 1st to the 1st): 12,000.01 / 12 = 1,000.000833 → 1,000.00.
    const yearly = await createOrganisation({ name: "MRR Yearly", currency: "eur", amount: "12000.01", termStart: `${utcDay(0).slice(0, 8)}01`, termEnd: yearAheadPlusOne });
    // 100 days (not whole months): 1,000.00 × 30.4375 / 100 = 304.375 → 304.38 (halves up).
    const short = await createOrganisation({ name: "MRR Short", currency: "eur", amount: "1000.00", termStart: utcDay(-50), termEnd: utcDay(50) });
    await createOrganisation({ name: "MRR Ended", currency: "eur", amount: "5000.00", termStart: yearAgoPlusOne, termEnd: utcDay(-1) });
    await createOrganisation({ name: "MRR Future", currency: "eur", amount: "5000.00", termStart: utcDay(2), termEnd: utcDay(300) });
    const rows = await listOrganisationsForAdmin(t.db, monthOf(now), now);
    const by = (id: number) => rows.find((r) => r.id === id)!;
    expect(by(yearly)).toMatchObject({ monthly: 100_000, running: true, seatsUsed: 0, seats: 3 });
    expect(by(short)).toMatchObject({ monthly: 30_438, running: true });
    expect(rows.find((r) => r.name === "MRR Ended")).toMatchObject({ running: false });
    expect(rows.find((r) => r.name === "MRR Future")).toMatchObject({ running: false });
    expect((await loadLicenceMrr(t.db, now)).find((m) => m.currency === "eur")!.amount - before).toBe(130_438);
  });

  async function createSessionFor(userId: string) {
    const { sessions } = await import("@/db/schema");
    const token = `${userId.replace(/-/g, "")}${"0".repeat(16)}`.slice(0, 48);
    await t.db.insert(sessions).values({ sessionToken: token, userId, expires: new Date(Date.now() + 3_600_000) });
    return { token };
  }

  it("a bulk list of 1,000 addresses: a bad row is listed and nothing is written; a preview writes nothing; sending invites all 1,000 (written within 5 s)", async () => {
    const { organisationInvites } = await import("@/db/schema");
    const id = await createOrganisation({ name: "Big Library", seats: 2_000, managers: "head@big.example" });
    const manager = await createSignedInUser(t.db, "head@big.example", "reader");
    const invites = async () => Number((await t.db.select({ n: sql<number>`count(*)` }).from(organisationInvites).where(eq(organisationInvites.organisationId, id)))[0]!.n);
    const rows = Array.from({ length: 1_000 }, (_, i) => `reader${i}@big.example,Reader ${i}`);
    as(manager.token);
    const withBad = ["email,name", ...rows.slice(0, 499), "nobody-at-big.example,Bad", ...rows.slice(499, 998)].join("\n");
    expect(await org.inviteAction(null, form({ organisationId: id, emails: withBad }))).toMatchObject({ ok: false, message: /line 501 \(“nobody-at-big\.example”\)/ });
    expect(await org.inviteAction(null, form({ organisationId: id, emails: [...rows, "one.too@many.example"].join("\n") }))).toMatchObject({ ok: false, message: /At most 1,000 addresses/ });
    expect(await invites()).toBe(0);
    expect(await org.inviteAction(null, form({ organisationId: id, step: "preview", emails: rows.join("\n") }))).toMatchObject({ ok: true, message: /^1,000 addresses ready to invite/ });
    expect(await invites()).toBe(0);
    const mailedFrom = new Date();
    expect(await org.inviteAction(null, form({ organisationId: id, step: "send", emails: rows.join("\n") }))).toMatchObject({ ok: true, message: /Invited 1000 addresses/ });
    expect(await invites()).toBe(1_000);
    await waitForMessage(mailbox, { to: "reader999@big.example", after: mailedFrom, timeoutMs: 10_000 });
    // Writing the 1,000 invitations (all or none) is the part the manager waits on besides the mail.
    const { createInvites } = await import("@/lib/organisations/invites");
    const started = performance.now();
    const again = await createInvites(t.db, id, rows.map((r) => r.split(",")[0]!), "head@big.example", new Date());
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(again?.links).toHaveLength(1_000);
    expect(await invites()).toBe(2_000);
  });

  it("an expired invitation is refused, and a new one replaces the old link", async () => {
    const id = await createOrganisation({ name: "Late Firm", managers: "boss@late.example" });
    const { inviteMembers, acceptInvite } = await import("@/lib/organisations/invites");
    const sentAt = new Date();
    const first = new Date();
    await inviteMembers(t.db, id, ["late@late.example"], "boss@late.example", sentAt);
    const firstToken = new URL(messageLinks(await waitForMessage(mailbox, { to: "late@late.example", after: first, timeoutMs: 10_000 })).find((l) => l.includes("/org/invite"))!).searchParams.get("token")!;
    const user = { id: (await createSignedInUser(t.db, "late@late.example", "reader")).id, email: "late@late.example", emailVerified: new Date() };
    expect(await acceptInvite(t.db, firstToken, user, new Date(sentAt.getTime() + 30 * DAY + 1))).toMatchObject({ ok: false, message: /expired/ });
    const second = new Date();
    await inviteMembers(t.db, id, ["late@late.example"], "boss@late.example", new Date());
    await waitForMessage(mailbox, { to: "late@late.example", after: second, timeoutMs: 10_000 });
    expect(await acceptInvite(t.db, firstToken, user, new Date())).toMatchObject({ ok: false, message: /withdrawn or replaced/ });
  });

  it("self-join by domain: a verified address at exactly a listed domain joins; unverified and unlisted subdomains do not", async () => {
    const id = await createOrganisation({ name: "Law Firm", domains: "lawfirm.example\nlondon.lawfirm.example" });
    const { joinableByDomain } = await import("@/lib/organisations/domain-join");
    const now = new Date();
    const verified = await createSignedInUser(t.db, "clerk@lawfirm.example", "reader");
    const listedSub = await createSignedInUser(t.db, "clerk@london.lawfirm.example", "reader");
    const unlistedSub = await createSignedInUser(t.db, "clerk@paris.lawfirm.example", "reader");
    const lookalike = await createSignedInUser(t.db, "clerk@notlawfirm.example", "reader");
    const [unverified] = await t.db.insert(users).values({ email: "intern@lawfirm.example" }).returning({ id: users.id, email: users.email, emailVerified: users.emailVerified });

    const names = async (u: { id: string; email: string | null; emailVerified: Date | null }) => (await joinableByDomain(t.db, u, now)).map((o) => o.name);
    const withEmail = (u: { id: string }, email: string) => ({ id: u.id, email, emailVerified: now });
    expect(await names(withEmail(verified, "clerk@lawfirm.example"))).toEqual(["Law Firm"]);
    expect(await names(withEmail(listedSub, "clerk@london.lawfirm.example"))).toEqual(["Law Firm"]);
    expect(await names(withEmail(unlistedSub, "clerk@paris.lawfirm.example"))).toEqual([]);
    expect(await names(withEmail(lookalike, "clerk@notlawfirm.example"))).toEqual([]);
    expect(await names(unverified!)).toEqual([]);

    as(unlistedSub.token);
    expect(await org.joinByDomainAction(null, form({ organisationId: id }))).toMatchObject({ ok: false, message: /does not admit addresses at paris\.lawfirm\.example/ });
    as((await createSessionFor(unverified!.id)).token);
    expect(await org.joinByDomainAction(null, form({ organisationId: id }))).toMatchObject({ ok: false, message: /needs a verified address/ });
    as(verified.token);
    expect(await org.joinByDomainAction(null, form({ organisationId: "not-a-number" }))).toMatchObject({ ok: false });
    expect(await org.joinByDomainAction(null, form({ organisationId: id }))).toMatchObject({ ok: true, message: /You joined Law Firm/ });
    expect((await readAs(verified.token)).full).toBe(true);
    expect((await readAs(unlistedSub.token)).full).toBe(false);
    const members = await t.db.select({ userId: organisationMembers.userId }).from(organisationMembers).where(eq(organisationMembers.organisationId, id));
    expect(members.map((m) => m.userId)).toEqual([verified.id]);

    // The access trace names the organisation and the seat; the trace spends and counts nothing.
    const { traceReading } = await import("@/lib/trace/trace-reading");
    const { supportExplanation } = await import("@/lib/trace/explanation");
    const trace = (await traceReading(t.db, { kind: "user", userId: verified.id }, lockedSlug, "read"))!;
    expect(trace.decision.reason).toBe("licensed");
    expect(supportExplanation(trace.explained)).toMatch(/^Licensed by Law Firm \(organisation #\d+\), holding one of its seats/);
    const outsider = (await traceReading(t.db, { kind: "user", userId: unlistedSub.id }, lockedSlug, "read"))!;
    expect(outsider.decision.reason).toBe("subscribers-only");
  });

  it("two joins racing for the last seat: exactly one wins", async () => {
    const id = await createOrganisation({ name: "Small Desk", seats: 2, domains: "desk.example" });
    const first = await createSignedInUser(t.db, "a@desk.example", "reader");
    const { joinByDomain } = await import("@/lib/organisations/domain-join");
    const now = new Date();
    expect(await joinByDomain(t.db, id, { id: first.id, email: "a@desk.example", emailVerified: now }, now)).toMatchObject({ ok: true });
    const racers = await Promise.all(Array.from({ length: 6 }, (_, i) => createSignedInUser(t.db, `racer${i}@desk.example`, "reader")));
    // Each join's insert waits 100 ms before it commits, so the joins overlap for certain: without
    // the seat lock, every one would count one seat taken and insert.
    await t.db.execute(sql.raw(`create function slow_seat() returns trigger language plpgsql as $$ begin perform pg_sleep(0.1); return new; end $$`));
    await t.db.execute(sql.raw(`create trigger slow_seat before insert on organisation_members for each row execute function slow_seat()`));
    const results = await Promise.all(racers.map((r, i) => joinByDomain(t.db, id, { id: r.id, email: `racer${i}@desk.example`, emailVerified: now }, now))).finally(async () => {
      await t.db.execute(sql.raw(`drop trigger slow_seat on organisation_members`));
      await t.db.execute(sql.raw(`drop function slow_seat()`));
    });
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && /Every seat/.test(r.message))).toBe(true);
    const [held] = await t.db.select({ n: sql<number>`count(*)` }).from(organisationMembers).where(eq(organisationMembers.organisationId, id));
    expect(Number(held!.n)).toBe(2);
  });

  describe("IP ranges", () => {
    let libraryId: number;
    beforeAll(async () => {
      libraryId = await createOrganisation({ name: "Reading Room", ipRanges: "192.0.2.0/24\n2001:db8:77::/48" });
      await createOrganisation({ name: "Closed Library", termStart: dayOf(-400), termEnd: dayOf(-35), ipRanges: "198.18.0.0/24" });
    });

    it("a request from a range reads in full without an account, spends no meter and is counted to the organisation", async () => {
      const { flushLicensedReads } = await import("@/lib/analytics/licence-reads");
      const { addressReads } = await import("@/lib/organisations/managers");
      const { monthOf } = await import("@/lib/analytics/licence-reads");
      await flushLicensedReads();
      const before = await addressReads(t.db, libraryId, monthOf(new Date()));
      for (const peer of ["192.0.2.1", "192.0.2.255", "::ffff:192.0.2.7", "2001:db8:77:1::5"]) {
        const reading = await fromAddress(peer);
        expect(reading, peer).toEqual({ full: true, meterCookie: null });
      }
      for (const peer of ["192.0.3.1", "2001:db8:78::1", "198.18.0.9"]) expect((await fromAddress(peer)).full, peer).toBe(false);
      await flushLicensedReads();
      expect(await addressReads(t.db, libraryId, monthOf(new Date()))).toBe(before + 4);
    });

    it("the reader's own \"why\" names the organisation whose range they read from", async () => {
      const { whyForReader } = await import("@/lib/trace/reader-why");
      const inRoom = await whyForReader({ get: () => undefined }, lockedSlug, new Date(), "192.0.2.44");
      expect(inRoom?.explanation.summary).toBe("Reading Room gives you access: you can read every article from its network.");
      const outside = await whyForReader({ get: () => undefined }, lockedSlug, new Date(), "192.0.3.44");
      expect(outside?.explanation.summary).toMatch(/for subscribers/);
    });

    it("X-Forwarded-For counts only as far as TRUSTED_PROXIES says", async () => {
      expect((await fromAddress("203.0.113.9", { "x-forwarded-for": "192.0.2.10" })).full).toBe(false);
      process.env.TRUSTED_PROXIES = "1";
      resetEnvForTests();
      try {
        expect((await fromAddress("10.0.0.2", { "x-forwarded-for": "192.0.2.10" })).full).toBe(true);
        // The client put the range's address first; the proxy appended the real one.
        expect((await fromAddress("10.0.0.2", { "x-forwarded-for": "192.0.2.10, 203.0.113.9" })).full).toBe(false);
      } finally {
        delete process.env.TRUSTED_PROXIES;
        resetEnvForTests();
      }
      // No stamp from this process: no address, no licence.
      expect((await read({ "x-forwarded-for": "192.0.2.10" })).full).toBe(false);
    });

    it("an edited range takes effect at once, from the cached index's invalidation", async () => {
      expect((await fromAddress("203.0.113.77")).full).toBe(false);
      as(adminToken);
      expect(await admin.updateOrganisationAction(undefined, licenceForm({ id: libraryId, name: "Reading Room", ipRanges: "203.0.113.0/25" }))).toMatchObject({ ok: true });
      await vi.waitFor(async () => expect((await fromAddress("203.0.113.77")).full).toBe(true), { timeout: 1_000, interval: 20 });
      expect((await fromAddress("192.0.2.1")).full).toBe(false);
    });
  });
});
