import "server-only";
import { getDb } from "@/db/client";
import type { Sweep } from "@/lib/jobs/periodic-sweep";
import { mailEndingGiftSubscriptions } from "./ending-mail";
import { deliverDueGiftSubscriptions } from "./redeem-link";

/**
 * Mails the gifts whose delivery date has come, every 15 s: a gift for today paid by webhook goes
 * out within one interval. Two instances never mail one gift twice: each delivery locks the gift's
 * row and checks it was not delivered. Then the week-before-the-end offers (ending-mail.ts, once
 * per gift by its outbox key). A pass with nothing due is two indexed queries.
 */
export const giftSubscriptionSweep: Sweep = {
  name: "gift subscription sweep",
  everyMs: 15_000,
  pass: async () => {
    const db = await getDb();
    const now = new Date();
    await deliverDueGiftSubscriptions(db, now);
    await mailEndingGiftSubscriptions(db, now);
  },
};
