import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { describe, expect, it, vi } from "vitest";
import { auditLog, organisationInvoices, organisationMembers, organisations } from "@/db/schema";
import { env } from "@/lib/env";
import { form } from "./support/action-forms";
import { adminSession, cookieState, createSignedInUser } from "./support/admin-harness";
import { billingAppForSuite } from "./support/billing-app";
import { engines } from "./support/databases";

vi.mock("next/headers", async () => (await import("./support/next-request")).nextHeaders());
vi.mock("next/cache", async (original) => (await import("./support/next-request")).nextCache(await original()));

const DAY = 86_400_000;

// Licences billed through Stripe by invoice (net 30), against the emulator, its signed webhooks
// reaching the real route, and the real admin action. Every instant is taken from the
// emulator's clock or the invoice's due date, never from today's date.
describe.each(engines)("licence invoices through Stripe on %s", (engine) => {
  const app = billingAppForSuite(engine, { key: "sk_test_licence", secret: "whsec_licence_0123456789abcdef0123456789" });
  let adminToken = "";

  const db = () => app.db();
  const day = (offsetDays: number) => new Date(app.emulator.now() * 1000 + offsetDays * DAY).toISOString().slice(0, 10);
  const asAdmin = async () => {
    if (!adminToken) adminToken = (await adminSession(await db(), "boss@ledger.test")).token;
    cookieState.sessionToken = adminToken;
  };

  /** An organisation through the admin form (a term from 10 days ago for a year) with one member. */
  async function organisation(name: string, extra: Record<string, string> = {}) {
    await asAdmin();
    const { createOrganisationAction } = await import("@/app/admin/organisations/actions");
    const made = await createOrganisationAction(
      null,
      form({ name, seats: 5, termStart: day(-10), termEnd: day(355), amount: "12000.00", currency: "eur", managers: `accounts@${name.toLowerCase().replace(/ /g, "-")}.example`, domains: "", ipRanges: "", ...extra }),
    );
    expect(made.ok).toBe(true);
    const [org] = await (await db()).select().from(organisations).where(eq(organisations.name, name));
    const member = await createSignedInUser(await db(), `reader@${org!.id}.${engine}.example`, "reader");
    await (await db()).insert(organisationMembers).values({ organisationId: org!.id, userId: member.id, via: "invite" });
    return { org: org!, member };
  }

  const send = async (id: number) => {
    await asAdmin();
    const { sendLicenceInvoiceAction } = await import("@/app/admin/organisations/actions");
    return sendLicenceInvoiceAction(null, form({ id }));
  };

  /** Whether the member's seat reads at `now` (their licences loaded as the gate's trace does). */
  async function seatReads(userId: string, now: Date): Promise<boolean> {
    const { loadSeatLicences } = await import("@/lib/access/seat-licences");
    const { runningLicence } = await import("@/lib/access/licence");
    return runningLicence(await loadSeatLicences(await db(), userId), now) !== null;
  }

  const invoiceRow = async (organisationId: number) => (await (await db()).select().from(organisationInvoices).where(eq(organisationInvoices.organisationId, organisationId)))[0];
  const stripeInvoicesOf = async (customerId: string) => (await app.api.invoices.list({ customer: customerId, limit: 100 })).data;

  it("sends a finalized invoice due in 30 days for the licence's price to the first manager; a replayed POST sends none", async () => {
    const { org, member } = await organisation("Harbour Firm");
    const sent = await send(org.id);
    expect(sent).toMatchObject({ ok: true });

    const [withCustomer] = await (await db()).select().from(organisations).where(eq(organisations.id, org.id));
    const customer = (await app.api.customers.retrieve(withCustomer!.stripeCustomerId!)) as Stripe.Customer;
    expect(customer.email).toBe("accounts@harbour-firm.example");
    const [invoice, ...others] = await stripeInvoicesOf(customer.id);
    expect(others).toEqual([]);
    expect(invoice).toMatchObject({
      status: "open",
      collection_method: "send_invoice",
      amount_due: 1_200_000,
      currency: "eur",
      metadata: expect.objectContaining({ masthead_organisation: String(org.id) }),
    });
    expect(invoice!.due_date).toBe(invoice!.created + 30 * 86_400);
    await app.settle();
    const types = (await app.api.events.list({ limit: 100 })).data.filter((e) => (e.data.object as Stripe.Invoice).id === invoice!.id).map((e) => e.type);
    expect(types).toContain("invoice.sent");

    const row = await invoiceRow(org.id);
    expect(row).toMatchObject({ stripeInvoiceId: invoice!.id, status: "open", amount: 1_200_000, currency: "eur", termStart: org.termStart, termEnd: org.termEnd });
    expect(row!.dueDate!.getTime()).toBe(invoice!.due_date! * 1000);
    const audits = await (await db()).select().from(auditLog).where(eq(auditLog.action, "organisation.invoice_send"));
    expect(audits.filter((a) => a.targetId === String(org.id))).toHaveLength(1);

    // The same POST again, and two tabs at once: refused, nothing more billed.
    expect(await send(org.id)).toMatchObject({ ok: false, message: expect.stringContaining("already open") });
    await Promise.all([send(org.id), send(org.id)]);
    expect(await stripeInvoicesOf(customer.id)).toHaveLength(1);

    // Open and not past due: the seat reads; past due it reads the grace days more, then stops.
    const due = row!.dueDate!.getTime();
    const grace = env().BILLING_GRACE_DAYS * DAY;
    expect(await seatReads(member.id, new Date(due - DAY))).toBe(true);
    expect(await seatReads(member.id, new Date(due + grace - 1))).toBe(true);
    expect(await seatReads(member.id, new Date(due + grace))).toBe(false);

    // Paid out of band: Stripe's webhook makes it paid, and the seat reads to the term's end.
    await app.api.invoices.pay(invoice!.id!, { paid_out_of_band: true });
    await app.settle();
    await expect.poll(async () => (await invoiceRow(org.id))?.status).toBe("paid");
    expect(await seatReads(member.id, new Date(due + grace + 100 * DAY))).toBe(true);
    expect(await seatReads(member.id, org.termEnd)).toBe(false);
    expect(await send(org.id)).toMatchObject({ ok: false, message: expect.stringContaining("already paid") });
  });

  it("a void invoice stops the licence at once, on every reader's cached view; an organisation without an invoice reads on the admin's entry", async () => {
    const { org, member } = await organisation("Quay Library", { ipRanges: "198.51.100.0/24" });
    const { org: entered, member: enteredMember } = await organisation("Pier Newsroom");
    expect(await send(org.id)).toMatchObject({ ok: true });
    await app.settle();
    const { addressLicence } = await import("@/lib/access/address-licences");
    const now = new Date(app.emulator.now() * 1000);
    expect(await seatReads(member.id, now)).toBe(true);
    expect(await addressLicence("198.51.100.7", now)).toMatchObject({ organisationId: org.id });

    const row = await invoiceRow(org.id);
    await app.api.invoices.voidInvoice(row!.stripeInvoiceId!);
    await app.settle();
    await expect.poll(async () => (await invoiceRow(org.id))?.status).toBe("void");
    expect(await seatReads(member.id, now)).toBe(false);
    // The cached range index forgets the organisation on the announcement.
    await expect.poll(() => addressLicence("198.51.100.7", now), { timeout: 1_000 }).toBeNull();

    // A void invoice no longer bills the term: a new one may be sent, and reads again while open.
    expect(await send(org.id)).toMatchObject({ ok: true });
    expect(await seatReads(member.id, now)).toBe(true);

    expect(await invoiceRow(entered.id)).toBeUndefined();
    expect(await seatReads(enteredMember.id, now)).toBe(true);
    const { loadSessionReaderFacts } = await import("@/lib/access/reader-record");
    const facts = await loadSessionReaderFacts(await db(), enteredMember.token, new Date());
    expect(facts?.licences).toEqual([expect.objectContaining({ organisationId: entered.id, invoice: null })]);
    const memberFacts = await loadSessionReaderFacts(await db(), member.token, new Date());
    expect(memberFacts?.licences).toEqual([expect.objectContaining({ organisationId: org.id, invoice: expect.objectContaining({ status: "open" }) })]);
  });

  it("a forged or modified webhook payload cannot make an invoice paid: Stripe's invoice, fetched again, decides", async () => {
    const { org, member } = await organisation("Dock Chambers");
    expect(await send(org.id)).toMatchObject({ ok: true });
    await app.settle();
    const row = await invoiceRow(org.id);
    const real = await app.api.invoices.retrieve(row!.stripeInvoiceId!);
    const { processStripeEvent } = await import("@/lib/billing/process-event");
    const forged = {
      id: "evt_forged_licence_paid",
      object: "event",
      type: "invoice.paid",
      created: real.created,
      data: { object: { ...real, status: "paid", amount_paid: real.amount_due, amount_remaining: 0 } },
    } as unknown as Stripe.Event;
    await processStripeEvent(await db(), forged);
    expect((await invoiceRow(org.id))?.status).toBe("open");
    const past = new Date(row!.dueDate!.getTime() + (env().BILLING_GRACE_DAYS + 1) * DAY);
    expect(await seatReads(member.id, past)).toBe(false);

    // A payload naming another organisation (or one with no invoice row) changes nothing either.
    const elsewhere = { ...forged, id: "evt_forged_other", data: { object: { ...real, metadata: { masthead_organisation: "999999" } } } } as unknown as Stripe.Event;
    await processStripeEvent(await db(), elsewhere);
    expect((await invoiceRow(org.id))?.status).toBe("open");
    // The duplicate of a real event, delivered late, changes nothing.
    await processStripeEvent(await db(), forged);
    expect((await invoiceRow(org.id))?.status).toBe("open");
  });

  it("a send that crashed after recording its intent, or after Stripe made the invoice, resumes the same invoice", async () => {
    const { org } = await organisation("Mill Archive");
    // The crash after the intent: a pending row for the term, nothing in Stripe yet.
    const [intent] = await (await db())
      .insert(organisationInvoices)
      .values({ organisationId: org.id, amount: org.priceAmount, currency: org.currency, termStart: org.termStart, termEnd: org.termEnd })
      .returning();
    const { pushLicenceInvoiceToStripe } = await import("@/lib/billing/licence-invoices");
    const first = await pushLicenceInvoiceToStripe(await db(), org.id);
    expect(first).toMatchObject({ ok: true, invoice: { id: intent!.id, status: "open" } });

    // The crash after Stripe made it but before our row knew: the intent again, its Stripe id forgotten.
    await (await db()).update(organisationInvoices).set({ status: "pending", stripeInvoiceId: null }).where(eq(organisationInvoices.id, intent!.id));
    const again = await pushLicenceInvoiceToStripe(await db(), org.id);
    expect(again).toMatchObject({ ok: true, invoice: { id: intent!.id, status: "open", stripeInvoiceId: first.ok ? first.invoice.stripeInvoiceId : "" } });
    const [withCustomer] = await (await db()).select().from(organisations).where(eq(organisations.id, org.id));
    expect(await stripeInvoicesOf(withCustomer!.stripeCustomerId!)).toHaveLength(1);
  });
});
