import "server-only";
import { getDb } from "@/db/client";
import { startOncePerServer, startPeriodicSweep } from "@/lib/jobs/periodic-sweep";
import { eraseSentMailOfDeletedAccounts, removeExpiredConsentRecords } from "./retention";

/**
 * Every `intervalMs` (an hour): removes consent records past their three years and the sent mail
 * text of deleted accounts. Both are single statements, safe on many instances at once.
 */
export function startPrivacySweep(intervalMs = 3_600_000): () => Promise<void> {
  return startPeriodicSweep(
    "privacy sweep",
    async () => {
      const db = await getDb();
      await removeExpiredConsentRecords(db);
      await eraseSentMailOfDeletedAccounts(db);
    },
    intervalMs,
  );
}

/** Starts this server's sweep once, however often instrumentation runs. */
export function startServerPrivacySweep(): void {
  startOncePerServer("privacySweep", () => startPrivacySweep());
}
