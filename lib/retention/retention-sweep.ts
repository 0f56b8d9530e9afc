import "server-only";
import { getDb } from "@/db/client";
import type { Sweep } from "@/lib/jobs/periodic-sweep";
import { resolveCancelRequests } from "./cancel-requests";
import { pushDueCancellations } from "./recorded-cancellation";
import { sendRenewalNotices } from "./renewal-notices";
import { pushDueWithdrawals } from "./withdrawals";

/**
 * The retention sweep, every 30 s: resolves /cancel requests a crash left waiting, asks Stripe
 * again for the cancels and withdrawals it has not carried out yet, and records the renewal
 * notices now due. Each step claims its rows.
 */
export const retentionSweep: Sweep = {
  name: "retention sweep",
  everyMs: 30_000,
  pass: async () => {
    const db = await getDb();
    await resolveCancelRequests(db);
    await pushDueCancellations(db);
    await pushDueWithdrawals(db);
    await sendRenewalNotices(db);
  },
};
