/**
 * The hosted invoice page at a finalized invoice's `hosted_invoice_url`: number, status, dates,
 * lines, discounts and totals, read-only (the emulator charges invoices itself).
 */
import type Stripe from "stripe";
import type { Emulator } from "../context";
import { couponOf } from "../discounts";
import { escapeHtml, formatDate, formatMoney, messagePage, page, type PageResult } from "./layout";

/** The page's path for an invoice id; the invoice's URL is the emulator's base plus this. */
export function invoicePagePath(invoiceId: string): string {
  return `/i/${invoiceId}`;
}

function row(label: string, amount: number, currency: string): string {
  return `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(formatMoney(amount, currency))}</td></tr>`;
}

function discountLabel(em: Emulator, discount: Stripe.Invoice.TotalDiscountAmount): string {
  const id = typeof discount.discount === "string" ? discount.discount : discount.discount.id;
  const known = em.store.state.discounts[id];
  const name = known ? couponOf(em, known)?.name : null;
  return name ? `Discount (${name})` : "Discount";
}

export function showInvoice(em: Emulator, id: string): PageResult {
  const invoice = Object.hasOwn(em.store.state.invoices, id) ? em.store.state.invoices[id] : undefined;
  if (!invoice || invoice.status === "draft") return messagePage(404, "Invoice not found", "This invoice does not exist or is not finalized yet.");
  const currency = invoice.currency;
  const lines = invoice.lines.data
    .map((line) => {
      const period = `${formatDate(line.period.start)} – ${formatDate(line.period.end)}`;
      return `<tr><th scope="row">${escapeHtml(line.description ?? "")}<br><span class="muted">${escapeHtml(period)}</span></th><td>${escapeHtml(formatMoney(line.amount, currency))}</td></tr>`;
    })
    .join("\n");
  const discounts = invoice.total_discount_amounts?.map((d) => row(discountLabel(em, d), -d.amount, currency)).join("\n") ?? "";
  const status = invoice.status === "paid" ? "Paid" : invoice.status === "open" ? "Due" : (invoice.status ?? "");
  return {
    status: 200,
    html: page(
      `Invoice ${invoice.number ?? invoice.id}`,
      `<h1>Invoice ${escapeHtml(invoice.number ?? invoice.id)}</h1>
<p class="muted">${escapeHtml(invoice.customer_email ?? "")} · issued ${escapeHtml(formatDate(invoice.effective_at ?? invoice.created))}</p>
<p class="price">${escapeHtml(formatMoney(invoice.total, currency))} <span class="muted">${escapeHtml(status)}</span></p>
<table>
${lines}
${row("Subtotal", invoice.subtotal, currency)}
${discounts}
${row("Total", invoice.total, currency)}
${row("Amount paid", invoice.amount_paid, currency)}
${row("Amount remaining", invoice.amount_remaining, currency)}
</table>`,
    ),
  };
}
