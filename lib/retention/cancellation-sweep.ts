import "server-only";
import { getDb } from "@/db/client";
import { resolveCancelRequests } from "./cancel-requests";
import { pushDueCancellations } from "./recorded-cancellation";
import { sendRenewalNotices } from "./renewal-notices";
import { pushDueWithdrawals } from "./withdrawals";

const started = Symbol.for("masthead.cancellationSweep");

/**
 * Every `intervalMs` in this server (instrumentation.ts): resolves /cancel requests a crash left
 * waiting, asks Stripe again for the cancels and withdrawals it has not carried out yet, and records the renewal notices now due. Every instance runs one;
 * both steps claim their rows, so two never do the same one. Returns a stop function (for tests).
 */
export function startCancellationSweep(intervalMs = 30_000): () => Promise<void> {
  let pass: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (pass) return;
    pass = getDb()
      .then(async (db) => {
        await resolveCancelRequests(db);
        await pushDueCancellations(db);
        await pushDueWithdrawals(db);
        await sendRenewalNotices(db);
      })
      .catch((error: unknown) => console.error("The cancellation sweep failed; trying again next time:", error))
      .finally(() => (pass = null));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await pass;
  };
}

/** Starts this server's sweep once, however often instrumentation runs. */
export function startServerCancellationSweep(): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[started]) return;
  g[started] = startCancellationSweep();
}
