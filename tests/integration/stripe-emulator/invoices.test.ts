/**
 * One-off invoices as Stripe makes them for a customer billed by invoice (a publisher billing a
 * firm, net 30): created as a draft with `collection_method=send_invoice` and `days_until_due`
 * (its `due_date` that many days after creation), items put on it by their `invoice`, finalized
 * (open, numbered, a hosted page), sent (`invoice.sent`), then paid out of band or voided. The
 * shapes are checked against the SDK's types in schema.test.ts.
 */
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { emulatorForFile } from "./helpers";

const { stripe, emulator } = emulatorForFile();

async function failure(call: Promise<unknown>): Promise<{ statusCode?: number; code?: string; param?: string; message: string }> {
  try {
    await call;
  } catch (error) {
    return error as { statusCode?: number; code?: string; param?: string; message: string };
  }
  throw new Error("expected the call to fail");
}

describe("one-off invoices (send_invoice)", () => {
  it("a draft with an item, due in 30 days, finalized, sent and paid out of band", async () => {
    const customer = await stripe.customers.create({ email: "accounts@firm.example", name: "Harbour Firm" });
    const draft = await stripe.invoices.create({ customer: customer.id, collection_method: "send_invoice", days_until_due: 30, currency: "eur", metadata: { organisation: "7" } });
    expect(draft).toMatchObject({ status: "draft", collection_method: "send_invoice", auto_advance: false, amount_due: 0, number: null, metadata: { organisation: "7" }, parent: null });
    expect(draft.due_date).toBe(draft.created + 30 * 86_400);

    const item = await stripe.invoiceItems.create({ customer: customer.id, invoice: draft.id, amount: 1_200_000, currency: "eur", description: "Licence: 20 seats for a year" });
    expect(item.invoice).toBe(draft.id);
    const withItem = await stripe.invoices.retrieve(draft.id);
    expect(withItem).toMatchObject({ amount_due: 1_200_000, amount_remaining: 1_200_000, total: 1_200_000 });
    expect(withItem.lines.data).toEqual([expect.objectContaining({ amount: 1_200_000, description: "Licence: 20 seats for a year", parent: expect.objectContaining({ type: "invoice_item_details" }) })]);

    const open = await stripe.invoices.finalizeInvoice(draft.id);
    expect(open).toMatchObject({ status: "open", number: expect.stringMatching(/-0001$/), hosted_invoice_url: expect.stringContaining("/i/") });
    expect((await failure(stripe.invoices.finalizeInvoice(draft.id))).code).toBe("invoice_already_finalized");
    expect((await failure(stripe.invoiceItems.create({ customer: customer.id, invoice: draft.id, amount: 1, currency: "eur" }))).param).toBe("invoice");

    await stripe.invoices.sendInvoice(draft.id);
    const paid = await stripe.invoices.pay(draft.id, { paid_out_of_band: true });
    expect(paid).toMatchObject({ status: "paid", amount_paid: 1_200_000, amount_paid_off_stripe: 1_200_000, amount_remaining: 0 });
    expect(paid.status_transitions.paid_at).toBeGreaterThan(0);
    expect((await failure(stripe.invoices.voidInvoice(draft.id))).code).toBe("invoice_not_open");

    const events = (await stripe.events.list({ limit: 100 })).data.filter((e) => (e.data.object as Stripe.Invoice).id === draft.id).map((e) => e.type);
    expect(events.reverse()).toEqual(["invoice.created", "invoice.finalized", "invoice.sent", "invoice.paid"]);
    expect(emulator.now()).toBeGreaterThan(0);
  });

  it("an open invoice may be voided; days_until_due is required for send_invoice and refused otherwise; only send_invoice invoices are sent", async () => {
    const customer = await stripe.customers.create({ email: "library@example.org" });
    expect((await failure(stripe.invoices.create({ customer: customer.id, collection_method: "send_invoice" }))).param).toBe("days_until_due");
    expect((await failure(stripe.invoices.create({ customer: customer.id, days_until_due: 30 }))).param).toBe("days_until_due");
    expect((await failure(stripe.invoices.create({ customer: "cus_missing", collection_method: "send_invoice", days_until_due: 30 }))).statusCode).toBe(400);

    const charged = await stripe.invoices.create({ customer: customer.id, currency: "usd" });
    await stripe.invoiceItems.create({ customer: customer.id, invoice: charged.id, amount: 500, currency: "usd" });
    await stripe.invoices.finalizeInvoice(charged.id);
    expect((await failure(stripe.invoices.sendInvoice(charged.id))).code).toBe("invoice_not_send_invoice");

    const bill = await stripe.invoices.create({ customer: customer.id, collection_method: "send_invoice", days_until_due: 14, currency: "usd" });
    expect((await failure(stripe.invoiceItems.create({ customer: customer.id, invoice: bill.id, amount: 100, currency: "eur" }))).param).toBe("currency");
    await stripe.invoiceItems.create({ customer: customer.id, invoice: bill.id, amount: 100, currency: "usd" });
    await stripe.invoices.finalizeInvoice(bill.id);
    const voided = await stripe.invoices.voidInvoice(bill.id);
    expect(voided).toMatchObject({ status: "void", amount_remaining: 0 });
    expect((await failure(stripe.invoices.pay(bill.id, { paid_out_of_band: true }))).code).toBe("invoice_not_open");
  });
});
