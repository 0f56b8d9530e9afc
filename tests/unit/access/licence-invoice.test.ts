import { describe, expect, it } from "vitest";
import { licenceInvoiceFrom, licenceRuns, type Licence } from "@/lib/access/licence";

const DAY = 86_400_000;
const start = new Date("2026-01-01T00:00:00Z");
const due = new Date("2026-01-31T00:00:00Z");
const licence = (invoice: Licence["invoice"]): Licence => ({
  organisationId: 1,
  organisationName: "Harbour Firm",
  via: "seat",
  termStart: start,
  termEnd: new Date("2027-01-01T00:00:00Z"),
  invoice,
});
const at = (offsetDays: number, base = due) => new Date(base.getTime() + offsetDays * DAY);

describe("a licence billed by a Stripe invoice", () => {
  it.each([
    ["no invoice: the admin's entry backs the whole term", null, at(200), true],
    ["paid: the whole term", { status: "paid", dueDate: due, graceDays: 3 }, at(300), true],
    ["paid: not after the term", { status: "paid", dueDate: due, graceDays: 3 }, new Date("2027-01-01T00:00:00Z"), false],
    ["paid: not before the term", { status: "paid", dueDate: due, graceDays: 3 }, at(-1, start), false],
    ["open, before its due date", { status: "open", dueDate: due, graceDays: 3 }, at(-1), true],
    ["open, within the grace days", { status: "open", dueDate: due, graceDays: 3 }, new Date(at(3).getTime() - 1), true],
    ["open, at the grace days' end", { status: "open", dueDate: due, graceDays: 3 }, at(3), false],
    ["open without grace, at its due date", { status: "open", dueDate: due, graceDays: 0 }, due, false],
    ["void: at once", { status: "void", dueDate: due, graceDays: 3 }, at(-20), false],
    ["uncollectible: at once", { status: "uncollectible", dueDate: due, graceDays: 3 }, at(-20), false],
  ] as const)("%s", (_name, invoice, now, reads) => {
    expect(licenceRuns(licence(invoice), now)).toBe(reads);
  });

  it("only Stripe's final states are an invoice: our pending intent and a draft leave the admin's rule", () => {
    expect(licenceInvoiceFrom({ status: "pending", dueDate: null }, 3)).toBeNull();
    expect(licenceInvoiceFrom({ status: "draft", dueDate: null }, 3)).toBeNull();
    expect(licenceInvoiceFrom(null, 3)).toBeNull();
    expect(licenceInvoiceFrom({ status: "open", dueDate: "2026-01-31T00:00:00+00:00" }, 3)).toEqual({ status: "open", dueDate: due, graceDays: 3 });
  });
});
