import "server-only";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { runSender } from "./sender";

const started = Symbol.for("masthead.newsletterSender");

/**
 * Starts this server's background newsletter sender (instrumentation.ts), unless
 * NEWSLETTER_SENDER=off. Every instance starts one; the database lease lets one send at a time
 * and another take over within the lease time if it dies. A failure (the database went away)
 * is logged and the sender starts again after a pause.
 */
export function startNewsletterSender(): void {
  const g = globalThis as Record<symbol, unknown>;
  if (env().NEWSLETTER_SENDER !== "in-process" || g[started]) return;
  g[started] = true;
  void (async () => {
    for (;;) {
      try {
        await runSender(await getDb());
      } catch (error) {
        console.error("The newsletter sender stopped; starting again in 5 s:", error);
        await new Promise((resolve) => setTimeout(resolve, 5_000));
      }
    }
  })();
}
