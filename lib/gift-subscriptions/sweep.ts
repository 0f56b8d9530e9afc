import "server-only";
import { getDb } from "@/db/client";
import { startOncePerServer, startPeriodicSweep } from "@/lib/jobs/periodic-sweep";
import { mailEndingGiftSubscriptions } from "./ending-mail";
import { deliverDueGiftSubscriptions } from "./redeem-link";

/**
 * Mails the gifts whose delivery date has come, every `intervalMs`: a gift for today paid by
 * webhook goes out within one interval. Two instances never mail one gift twice: each delivery
 * locks the gift's row and checks it was not delivered. Then the week-before-the-end offers
 * (ending-mail.ts, once per gift by its outbox key). A pass with nothing due is two indexed queries.
 */
export function startGiftSubscriptionSweep(intervalMs = 15_000): () => Promise<void> {
  return startPeriodicSweep(
    "gift subscription sweep",
    async () => {
      const db = await getDb();
      const now = new Date();
      await deliverDueGiftSubscriptions(db, now);
      await mailEndingGiftSubscriptions(db, now);
    },
    intervalMs,
  );
}

/** Starts this server's sweep once, however often instrumentation runs. */
export function startServerGiftSubscriptionSweep(): void {
  startOncePerServer("giftSubscriptionSweep", () => startGiftSubscriptionSweep());
}
