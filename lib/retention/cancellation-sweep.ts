import "server-only";
import { getDb } from "@/db/client";
import { startOncePerServer, startPeriodicSweep } from "@/lib/jobs/periodic-sweep";
import { resolveCancelRequests } from "./cancel-requests";
import { pushDueCancellations } from "./recorded-cancellation";

/**
 * Every `intervalMs`: resolves /cancel requests a crash left waiting, and asks Stripe again for
 * the cancels it has not accepted yet. Both steps claim their rows.
 */
export function startCancellationSweep(intervalMs = 30_000): () => Promise<void> {
  return startPeriodicSweep(
    "cancellation sweep",
    async () => {
      const db = await getDb();
      await resolveCancelRequests(db);
      await pushDueCancellations(db);
    },
    intervalMs,
  );
}

/** Starts this server's sweep once, however often instrumentation runs. */
export function startServerCancellationSweep(): void {
  startOncePerServer("cancellationSweep", () => startCancellationSweep());
}
