import "server-only";
import { getDb } from "@/db/client";
import type { Sweep } from "@/lib/jobs/periodic-sweep";
import { deliverBillingMails } from "./billing-mail-delivery";

/**
 * Delivers billing mail every 30 s, so a mail that waits for a retry or for the mail server does
 * not wait for the next webhook. A pass with nothing due costs two indexed statements on the few
 * unsent rows (none without EMAIL_SERVER).
 */
export const billingMailSweep: Sweep = {
  name: "billing mail sweep",
  everyMs: 30_000,
  pass: async () => deliverBillingMails(await getDb()),
};
