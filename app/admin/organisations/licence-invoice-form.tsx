"use client";

import { useAdminForm } from "../_components/use-admin-form";
import { FormMessage } from "../_components/form-message";
import { sendLicenceInvoiceAction } from "./actions";

export interface LicenceInvoiceView {
  status: string;
  amount: string;
  dueDate: string | null;
}

/** The current term's Stripe invoice (status, amount, due date) and the button that sends one; the server refuses a second. */
export function LicenceInvoiceForm({ organisationId, name, invoice }: { organisationId: number; name: string; invoice: LicenceInvoiceView | null }) {
  const { state, pending, formProps } = useAdminForm(sendLicenceInvoiceAction);
  const billed = invoice !== null && ["pending", "draft", "open", "paid"].includes(invoice.status);
  return (
    <form {...formProps} className="admin-form" aria-label={`Invoice ${name} through Stripe`}>
      <input type="hidden" name="id" value={organisationId} />
      <FormMessage state={state} />
      <p data-testid="licence-invoice">
        {invoice
          ? `Stripe invoice for this term: ${invoice.status}, ${invoice.amount}${invoice.dueDate ? `, due ${invoice.dueDate}` : ""}.`
          : "No Stripe invoice for this term: the licence reads on your entry."}
      </p>
      <p className="field-hint">
        Stripe mails an invoice for the term&apos;s price to the first manager, due in 30 days. The licence then reads while it is paid, or open and not past
        due (plus the billing grace days); a void invoice stops it at once.
      </p>
      <button className="button" type="submit" disabled={pending || billed}>
        {pending ? "Sending…" : "Send invoice through Stripe"}
      </button>
    </form>
  );
}
