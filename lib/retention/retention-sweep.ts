import "server-only";
import { getDb } from "@/db/client";
import { startOncePerServer, startPeriodicSweep } from "@/lib/jobs/periodic-sweep";
import { resolveCancelRequests } from "./cancel-requests";
import { pushDueCancellations } from "./recorded-cancellation";
import { sendRenewalNotices } from "./renewal-notices";
import { pushDueWithdrawals } from "./withdrawals";

/**
 * The retention sweep, every `intervalMs`: resolves /cancel requests a crash left waiting, asks Stripe again for the
 * cancels and withdrawals it has not carried out yet, and records the renewal notices now due.
 * Each step claims its rows.
 */
export function startRetentionSweep(intervalMs = 30_000): () => Promise<void> {
  return startPeriodicSweep(
    "retention sweep",
    async () => {
      const db = await getDb();
      await resolveCancelRequests(db);
      await pushDueCancellations(db);
      await pushDueWithdrawals(db);
      await sendRenewalNotices(db);
    },
    intervalMs,
  );
}

/** Starts this server's sweep once, however often instrumentation runs. */
export function startServerRetentionSweep(): void {
  startOncePerServer("retentionSweep", () => startRetentionSweep());
}
