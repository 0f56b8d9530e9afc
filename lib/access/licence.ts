/**
 * The Stripe invoice that bills a licence's current term (lib/billing/licence-invoices.ts), as the
 * decision needs it: Stripe's state and due date, and the grace after it (BILLING_GRACE_DAYS).
 */
export interface LicenceInvoice {
  status: "open" | "paid" | "void" | "uncollectible";
  dueDate: Date | null;
  graceDays: number;
}

/** An organisation's licence as it reaches the decision: through a seat the reader holds, or the address they read from. */
export interface Licence {
  organisationId: number;
  organisationName: string;
  via: "seat" | "address";
  termStart: Date;
  /** Exclusive: the licence reads until this instant, not at it. */
  termEnd: Date;
  /** The term's Stripe invoice, once sent; none (or undefined): the admin's entry backs the term. */
  invoice?: LicenceInvoice | null;
}

const DAY_MS = 86_400_000;

/**
 * Whether the licence reads at `now`: its term runs and, when the term is billed through Stripe,
 * the invoice backs it — paid, or open and not past its due date plus the grace days; void or
 * uncollectible, not at all.
 */
export function licenceRuns(licence: Licence, now: Date): boolean {
  const inTerm = licence.termStart.getTime() <= now.getTime() && now.getTime() < licence.termEnd.getTime();
  if (!inTerm || !licence.invoice) return inTerm;
  const { status, dueDate, graceDays } = licence.invoice;
  if (status === "paid") return true;
  if (status !== "open" || dueDate === null) return false;
  return now.getTime() < dueDate.getTime() + graceDays * DAY_MS;
}

/** The invoice as loaded (JSON from SQL): only Stripe's final states count; a draft or our pending intent is not yet an invoice. */
export function licenceInvoiceFrom(raw: { status: string; dueDate: string | null } | null | undefined, graceDays: number): LicenceInvoice | null {
  if (!raw || !["open", "paid", "void", "uncollectible"].includes(raw.status)) return null;
  return { status: raw.status as LicenceInvoice["status"], dueDate: raw.dueDate ? new Date(raw.dueDate) : null, graceDays };
}

/** The first licence whose term runs now (seats before addresses, as given), or null. */
export function runningLicence(licences: ReadonlyArray<Licence | null>, now: Date): Licence | null {
  return licences.find((l): l is Licence => l !== null && licenceRuns(l, now)) ?? null;
}
