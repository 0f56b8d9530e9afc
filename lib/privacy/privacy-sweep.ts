import "server-only";
import { getDb } from "@/db/client";
import type { Sweep } from "@/lib/jobs/periodic-sweep";
import { eraseSentMailOfDeletedAccounts, removeExpiredConsentRecords } from "./retention";

/**
 * Every hour: removes consent records past their three years and the sent mail text of deleted
 * accounts. Both are single statements, safe on many instances at once.
 */
export const privacySweep: Sweep = {
  name: "privacy sweep",
  everyMs: 3_600_000,
  pass: async () => {
    const db = await getDb();
    await removeExpiredConsentRecords(db);
    await eraseSentMailOfDeletedAccounts(db);
  },
};
