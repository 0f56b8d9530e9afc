import "server-only";
import { getDb } from "@/db/client";
import { deliverDueGiftSubscriptions } from "./redeem-link";

const started = Symbol.for("masthead.giftSubscriptionSweep");

/**
 * Mails the gifts whose delivery date has come, every `intervalMs`, in every server instance
 * (instrumentation.ts): a gift for today paid by webhook goes out within one interval. Two instances never mail one gift twice: each delivery locks the gift's
 * row and checks it was not delivered. A pass with nothing due is one indexed query.
 */
export function startGiftSubscriptionSweep(intervalMs = 15_000): () => Promise<void> {
  let pass: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (pass) return;
    pass = getDb()
      .then((db) => deliverDueGiftSubscriptions(db, new Date()))
      .catch((error: unknown) => console.error("The gift subscription sweep failed; trying again next time:", error))
      .finally(() => (pass = null));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await pass;
  };
}

export function startServerGiftSubscriptionSweep(): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[started]) return;
  g[started] = startGiftSubscriptionSweep();
}
