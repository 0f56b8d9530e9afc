import "server-only";
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db, Tx } from "@/db/client";
import { organisationInvoices, organisations, type OrganisationInvoice } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";
import { stripe } from "./stripe-client";
import { idOf } from "./stripe-rows";

/** Days an organisation has to pay a licence invoice (net 30). */
export const LICENCE_INVOICE_DAYS = 30;
/** The metadata key that marks an invoice as an organisation's licence invoice. */
export const LICENCE_METADATA = "masthead_organisation";
const ROW_METADATA = "masthead_invoice";
/** States in which an invoice bills its term: another would bill it twice. */
const LIVE = ["pending", "draft", "open", "paid"];

export type LicenceInvoiceStatus = "pending" | "draft" | "open" | "paid" | "void" | "uncollectible";

const STAGE: Record<LicenceInvoiceStatus, number> = { pending: 0, draft: 1, open: 2, uncollectible: 3, paid: 4, void: 4 };

export type PushOutcome = { ok: true; invoice: OrganisationInvoice } | { ok: false; message: string };

/** Our copy of a licence invoice as Stripe has it now. */
export interface LicenceInvoiceCopy {
  stripeInvoiceId: string;
  organisationId: number;
  rowId: number | null;
  status: LicenceInvoiceStatus;
  amount: number;
  currency: string;
  dueDate: Date | null;
  customerId: string | null;
}

/** The organisation a Stripe invoice's metadata names, or null when it is not a licence invoice. */
export function licenceOrganisationOf(metadata: Stripe.Metadata | null | undefined): number | null {
  const raw = metadata?.[LICENCE_METADATA];
  return raw && /^\d+$/.test(raw) ? Number(raw) : null;
}

function licenceCopy(invoice: Stripe.Invoice): LicenceInvoiceCopy | null {
  const organisationId = licenceOrganisationOf(invoice.metadata);
  if (organisationId === null) return null;
  const row = invoice.metadata?.[ROW_METADATA];
  return {
    stripeInvoiceId: invoice.id!,
    organisationId,
    rowId: row && /^\d+$/.test(row) ? Number(row) : null,
    status: (invoice.status ?? "draft") as LicenceInvoiceStatus,
    amount: invoice.amount_due,
    currency: invoice.currency,
    dueDate: invoice.due_date ? new Date(invoice.due_date * 1000) : null,
    customerId: idOf(invoice.customer),
  };
}

/** Stripe's current copy of an invoice if it is a licence invoice (the webhook's fetch: never the event's payload). */
export async function fetchLicenceInvoice(invoiceId: string): Promise<LicenceInvoiceCopy | null> {
  return licenceCopy(await stripe().invoices.retrieve(invoiceId));
}

/**
 * Writes Stripe's copy onto our row (found by its Stripe id, or by the row id Stripe's metadata
 * carries when a crash came before we stored the Stripe id) and announces the organisation, so
 * every instance judges its licence again. A copy for another organisation than the row's, or
 * for no row, changes nothing. Returns whether a row was written.
 */
export async function saveLicenceInvoice(tx: Tx, copy: LicenceInvoiceCopy): Promise<boolean> {
  const match = copy.rowId !== null ? eq(organisationInvoices.id, copy.rowId) : eq(organisationInvoices.stripeInvoiceId, copy.stripeInvoiceId);
  const [row] = await tx.select().from(organisationInvoices).where(match).for("update");
  if (!row || row.organisationId !== copy.organisationId) return false;
  if (row.stripeInvoiceId !== null && row.stripeInvoiceId !== copy.stripeInvoiceId) return false;
  // Stripe's invoice only moves forward (draft, open, then paid, void or uncollectible): a copy
  // fetched before another writer's newer one is stale, and is not written back.
  if (STAGE[copy.status] < STAGE[row.status as LicenceInvoiceStatus] || ((row.status === "paid" || row.status === "void") && copy.status !== row.status)) return true;
  const next = { stripeInvoiceId: copy.stripeInvoiceId, status: copy.status, amount: copy.amount, currency: copy.currency, dueDate: copy.dueDate };
  const same = row.stripeInvoiceId === next.stripeInvoiceId && row.status === next.status && row.amount === next.amount && row.currency === next.currency && row.dueDate?.getTime() === next.dueDate?.getTime();
  if (same) return true;
  await tx.update(organisationInvoices).set({ ...next, updatedAt: new Date() }).where(eq(organisationInvoices.id, row.id));
  await announceChange(tx, "organisations", row.organisationId);
  return true;
}

/** Asks Stripe for the invoice again and writes its state onto our row. */
export async function pullLicenceInvoiceFromStripe(db: Db, stripeInvoiceId: string): Promise<OrganisationInvoice | null> {
  const copy = await fetchLicenceInvoice(stripeInvoiceId);
  if (!copy) return null;
  await db.transaction((tx) => saveLicenceInvoice(tx, copy));
  const [row] = await db.select().from(organisationInvoices).where(eq(organisationInvoices.stripeInvoiceId, stripeInvoiceId));
  return row ?? null;
}

/** The newest invoice of an organisation for its current term (any state), or null. */
export async function currentTermInvoice(db: Db | Tx, organisationId: number): Promise<OrganisationInvoice | null> {
  const [row] = await db
    .select({ invoice: organisationInvoices })
    .from(organisationInvoices)
    .innerJoin(organisations, eq(organisations.id, organisationInvoices.organisationId))
    .where(and(eq(organisationInvoices.organisationId, organisationId), eq(organisationInvoices.termStart, organisations.termStart), eq(organisationInvoices.termEnd, organisations.termEnd)))
    .orderBy(desc(organisationInvoices.id))
    .limit(1);
  return row?.invoice ?? null;
}

/**
 * Bills an organisation's current term through Stripe, net 30. Crash-safe by intent first: a
 * `pending` row is recorded (under the organisation's lock, refused when a live invoice already
 * covers the term: the partial unique index makes a replayed or concurrent send lose), then each
 * Stripe call carries an idempotency key made from that row, so calling this again after a crash
 * resumes the same customer, invoice and item instead of making new ones. Stripe's copy is then
 * written onto the row.
 */
export async function pushLicenceInvoiceToStripe(db: Db, organisationId: number): Promise<PushOutcome> {
  const intent = await db.transaction(async (tx): Promise<{ ok: false; message: string } | { ok: true; row: OrganisationInvoice; email: string; name: string; customerId: string | null }> => {
    const [org] = await tx.select().from(organisations).where(eq(organisations.id, organisationId)).for("update");
    if (!org) return { ok: false, message: "This organisation no longer exists." };
    const email = org.managerEmails[0];
    if (!email) return { ok: false, message: "Add a manager first: Stripe mails the invoice to the first manager." };
    if (org.priceAmount <= 0) return { ok: false, message: "A licence without a price has nothing to invoice." };
    const [live] = await tx
      .select()
      .from(organisationInvoices)
      .where(and(eq(organisationInvoices.organisationId, org.id), eq(organisationInvoices.termStart, org.termStart), eq(organisationInvoices.termEnd, org.termEnd), inArray(organisationInvoices.status, LIVE)));
    if (live && live.status !== "pending") return { ok: false, message: `An invoice for this term is already ${live.status}.` };
    const row =
      live ??
      (await tx
        .insert(organisationInvoices)
        .values({ organisationId: org.id, amount: org.priceAmount, currency: org.currency, termStart: org.termStart, termEnd: org.termEnd })
        .returning())[0]!;
    return { ok: true, row, email, name: org.name, customerId: org.stripeCustomerId };
  });
  if (!intent.ok) return intent;
  const { row } = intent;
  const key = (step: string) => `masthead-licence-invoice-${row.id}-${row.createdAt.getTime()}-${step}`;
  const api = stripe();

  let customerId = intent.customerId;
  if (!customerId) {
    const customer = await api.customers.create(
      { email: intent.email, name: intent.name, metadata: { [LICENCE_METADATA]: String(organisationId) } },
      { idempotencyKey: key("customer") },
    );
    await db.update(organisations).set({ stripeCustomerId: customer.id }).where(and(eq(organisations.id, organisationId), isNull(organisations.stripeCustomerId)));
    const [org] = await db.select({ id: organisations.stripeCustomerId }).from(organisations).where(eq(organisations.id, organisationId));
    customerId = org?.id ?? customer.id;
  }

  let invoice =
    row.stripeInvoiceId !== null
      ? await api.invoices.retrieve(row.stripeInvoiceId)
      : await api.invoices.create(
          {
            customer: customerId,
            collection_method: "send_invoice",
            days_until_due: LICENCE_INVOICE_DAYS,
            auto_advance: false,
            currency: row.currency,
            description: `Licence for ${intent.name}, ${day(row.termStart)} to ${day(row.termEnd)}`,
            metadata: { [LICENCE_METADATA]: String(organisationId), [ROW_METADATA]: String(row.id) },
          },
          { idempotencyKey: key("invoice") },
        );
  if (row.stripeInvoiceId === null) await db.update(organisationInvoices).set({ stripeInvoiceId: invoice.id!, status: "draft", updatedAt: new Date() }).where(eq(organisationInvoices.id, row.id));
  if (invoice.status === "draft" && invoice.lines.data.length === 0) {
    await api.invoiceItems.create(
      { customer: customerId, invoice: invoice.id!, amount: row.amount, currency: row.currency, description: `Licence: ${day(row.termStart)} to ${day(row.termEnd)}` },
      { idempotencyKey: key("item") },
    );
  }
  if (invoice.status === "draft") invoice = await api.invoices.finalizeInvoice(invoice.id!, {}, { idempotencyKey: key("finalize") });
  if (invoice.status === "open") invoice = await api.invoices.sendInvoice(invoice.id!, {}, { idempotencyKey: key("send") });
  // Stripe's copy as it is now: a response replayed for an idempotency key may be older.
  const copy = licenceCopy(await api.invoices.retrieve(invoice.id!))!;
  await db.transaction((tx) => saveLicenceInvoice(tx, copy));
  const [saved] = await db.select().from(organisationInvoices).where(eq(organisationInvoices.id, row.id));
  return { ok: true, invoice: saved! };
}

const day = (d: Date) => d.toISOString().slice(0, 10);
