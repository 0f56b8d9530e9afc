import "server-only";
import { count, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organisationMembers, organisations, type Organisation } from "@/db/schema";
import { deliverBillingMailsSoon } from "@/lib/billing/billing-mail-delivery";
import { pushLicenceInvoiceToStripe } from "@/lib/billing/licence-invoices";
import { parseMoneyInput } from "@/lib/billing/money";
import { announceChange } from "@/lib/cache/invalidation";
import { noteSeatLevel } from "@/lib/organisations/seat-mails";
import { recordAudit } from "../audit/record";
import type { AdminActor } from "../shared/action";
import type { OrganisationInput, SendLicenceInvoiceInput, UpdateOrganisationInput } from "./form";

export type OrganisationChange = { ok: true; id: number; changed: boolean } | { ok: false; field?: string; message: string };

/** What the audit log keeps of an organisation (every column an admin sets). */
function snapshot(o: Organisation) {
  const { name, seats, termStart, termEnd, priceAmount, currency, payment, managerEmails, domains, ipRanges } = o;
  return { name, seats, termStart, termEnd, priceAmount, currency, payment, managerEmails, domains, ipRanges };
}

function columns(input: OrganisationInput, priceAmount: number) {
  const { name, seats, termStart, termEnd, currency, managers, domains, ipRanges } = input;
  return { name, seats, termStart, termEnd, priceAmount, currency, managerEmails: managers, domains, ipRanges };
}

/** Creates an organisation with its admin-entered licence (price and term), in one transaction with its audit row. */
export async function createOrganisation(db: Db, actor: AdminActor, input: OrganisationInput): Promise<OrganisationChange> {
  const price = parseMoneyInput(input.amount, input.currency);
  if (!price.ok) return { ok: false, field: "amount", message: price.message };
  return db.transaction(async (tx) => {
    const [org] = await tx.insert(organisations).values(columns(input, price.amount)).returning();
    // Its IP ranges read at once on every instance.
    await announceChange(tx, "organisations", org!.id);
    await recordAudit(tx, { actor, action: "organisation.create", targetType: "organisation", targetId: org!.id, before: null, after: snapshot(org!) });
    return { ok: true, id: org!.id, changed: true };
  });
}

/**
 * Edits an organisation. Seats cannot drop below the seats taken (a manager frees them first).
 * Every instance forgets its IP ranges and its members' cached licences when this commits.
 */
export async function updateOrganisation(db: Db, actor: AdminActor, input: UpdateOrganisationInput): Promise<OrganisationChange> {
  const outcome = await db.transaction(async (tx): Promise<OrganisationChange> => {
    const [before] = await tx.select().from(organisations).where(eq(organisations.id, input.id)).for("update");
    if (!before) return { ok: false, message: "This organisation no longer exists." };
    const price = parseMoneyInput(input.amount, input.currency);
    if (!price.ok) return { ok: false, field: "amount", message: price.message };
    const [taken] = await tx.select({ n: count() }).from(organisationMembers).where(eq(organisationMembers.organisationId, input.id));
    const used = Number(taken?.n ?? 0);
    if (input.seats < used) return { ok: false, field: "seats", message: `${used} seats are taken: at least ${used}, or have a manager remove members first` };
    const next = columns(input, price.amount);
    if (JSON.stringify(snapshot({ ...before, ...next })) === JSON.stringify(snapshot(before))) return { ok: true, id: before.id, changed: false };
    const [after] = await tx.update(organisations).set({ ...next, updatedAt: sql`now()` }).where(eq(organisations.id, before.id)).returning();
    await announceChange(tx, "organisations", before.id);
    await recordAudit(tx, { actor, action: "organisation.update", targetType: "organisation", targetId: before.id, before: snapshot(before), after: snapshot(after!) });
    // Fewer seats sold may reach 90 % or 100 % of them; more re-arm the seat mails.
    if (after!.seats !== before.seats) await noteSeatLevel(tx, before.id);
    return { ok: true, id: before.id, changed: true };
  });
  if (outcome.ok && outcome.changed) deliverBillingMailsSoon(db);
  return outcome;
}

/**
 * Bills the organisation's current term through Stripe (net 30; lib/billing/licence-invoices.ts),
 * then audits what was sent. Refused when an open or paid invoice already covers the term, so a
 * replayed POST or a second tab sends nothing.
 */
export async function sendLicenceInvoice(db: Db, actor: AdminActor, input: SendLicenceInvoiceInput): Promise<OrganisationChange> {
  const sent = await pushLicenceInvoiceToStripe(db, input.id).catch((error: unknown) => {
    // Our intent is kept: sending again resumes the same Stripe invoice (idempotency keys), never a second one.
    console.error("Could not send the licence invoice through Stripe:", error);
    return { ok: false as const, message: "Stripe could not be reached: nothing was billed twice. Try sending again." };
  });
  if (!sent.ok) return { ok: false, message: sent.message };
  const { stripeInvoiceId, status, amount, currency, dueDate, termStart, termEnd } = sent.invoice;
  await recordAudit(db, {
    actor,
    action: "organisation.invoice_send",
    targetType: "organisation",
    targetId: input.id,
    before: null,
    after: { stripeInvoiceId, status, amount, currency, dueDate, termStart, termEnd },
  });
  return { ok: true, id: input.id, changed: true };
}
