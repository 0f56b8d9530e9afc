import "server-only";
import { getDb } from "@/db/client";
import { startOncePerServer, startPeriodicSweep } from "@/lib/jobs/periodic-sweep";
import { deliverBillingMails } from "./billing-mail-delivery";

/**
 * Delivers billing mail every `intervalMs`, so a mail that waits for a retry or for the mail
 * server does not wait for the next webhook. A pass with nothing due costs two indexed statements
 * on the few unsent rows (none without EMAIL_SERVER).
 */
export function startBillingMailSweep(intervalMs = 30_000): () => Promise<void> {
  return startPeriodicSweep("billing mail sweep", async () => deliverBillingMails(await getDb()), intervalMs);
}

/** Starts this server's sweep once, however often instrumentation runs. */
export function startServerBillingMailSweep(): void {
  startOncePerServer("billingMailSweep", () => startBillingMailSweep());
}
