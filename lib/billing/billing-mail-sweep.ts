import "server-only";
import { getDb } from "@/db/client";
import { deliverBillingMails } from "./billing-mail-delivery";

const started = Symbol.for("masthead.billingMailSweep");

/**
 * Delivers billing mail every `intervalMs` in this server (instrumentation.ts), so a mail that
 * waits for a retry or for the mail server does not wait for the next webhook. A pass with
 * nothing due costs two indexed statements on the few unsent rows (none without EMAIL_SERVER).
 * Every instance runs one; the claim keeps them from sending a row twice. Returns a stop
 * function that waits for a pass in progress (for tests).
 */
export function startBillingMailSweep(intervalMs = 30_000): () => Promise<void> {
  let pass: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (pass) return;
    pass = getDb()
      .then(deliverBillingMails)
      .catch((error: unknown) => console.error("The billing mail sweep failed; trying again next time:", error))
      .finally(() => (pass = null));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await pass;
  };
}

/** Starts this server's sweep once, however often instrumentation runs. */
export function startServerBillingMailSweep(): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[started]) return;
  g[started] = startBillingMailSweep();
}
