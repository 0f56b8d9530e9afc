/**
 * The money behind paid invoices (payments.ts): `/v1/invoice_payments` (which payment paid an
 * invoice), `/v1/payment_intents/:id` and `/v1/charges`, read-only as our code uses them.
 */
import { z } from "zod";
import { listParams, rangeParam, stringParam } from "../params";
import { listHandler, retrieveHandler } from "./common";

export const retrieveInvoicePayment = retrieveHandler((state) => state.invoice_payments, "invoice_payment");

export const listInvoicePayments = listHandler(
  z.strictObject({ ...listParams, invoice: stringParam.optional(), status: z.enum(["canceled", "open", "paid"]).optional(), created: rangeParam }),
  "invoice_payments",
  { url: "/v1/invoice_payments", kind: "invoice_payment" },
  { equal: ["invoice", "status"] },
);

export const retrievePaymentIntent = retrieveHandler((state) => state.payment_intents, "payment_intent");

export const retrieveCharge = retrieveHandler((state) => state.charges, "charge");

export const listCharges = listHandler(
  z.strictObject({ ...listParams, customer: stringParam.optional(), payment_intent: stringParam.optional(), created: rangeParam }),
  "charges",
  { url: "/v1/charges", kind: "charge" },
  { equal: ["customer", "payment_intent"] },
);
