"use server";

import { refresh } from "next/cache";
import { getDb } from "@/db/client";
import { createOrganisation, sendLicenceInvoice, updateOrganisation, type OrganisationChange } from "@/lib/admin/organisations/commands";
import { createOrganisationSchema, sendLicenceInvoiceSchema, updateOrganisationSchema } from "@/lib/admin/organisations/form";
import { adminAction, refused, refusedField, type ActionResult } from "@/lib/admin/shared/action";

function answer(change: OrganisationChange, done: string): ActionResult {
  if (!change.ok) return change.field ? refusedField(change.field, change.message) : refused(change.message);
  refresh();
  return { ok: true, message: change.changed ? done : "Nothing changed." };
}

export const createOrganisationAction = adminAction(createOrganisationSchema, async (input, admin) =>
  answer(await createOrganisation(await getDb(), admin, input), "Organisation created."),
);

export const updateOrganisationAction = adminAction(updateOrganisationSchema, async (input, admin) =>
  answer(await updateOrganisation(await getDb(), admin, input), "Saved."),
);

export const sendLicenceInvoiceAction = adminAction(sendLicenceInvoiceSchema, async (input, admin) =>
  answer(await sendLicenceInvoice(await getDb(), admin, input), "Invoice sent through Stripe (due in 30 days)."),
);
