import "server-only";
import { sql } from "drizzle-orm";
import type { SendFailure } from "./smtp-outcome";

/*
 * The state changes both outboxes make (billing mail and newsletters, docs/decisions/0018 and
 * 0020), on the columns they share: `state`, `attempts`, `next_attempt_at`, `claimed_at`,
 * `last_error`, `sent_at`. A row is marked `sending` (committed) before its SMTP call and `sent`
 * after the server accepted it; a row found `sending` after a crash becomes `unknown` and is
 * never resent unless an admin asks. Each outbox says which rows (its own key, its own claim).
 */

export const INTERRUPTED = "Interrupted while sending (crash or restart): the mail server may have accepted it, so it was not resent.";

/** The server accepted it (a row already marked `unknown` by a slow send was in fact sent). Apply to `sending` or `unknown` rows. */
export const markedSent = () => ({ state: "sent" as const, sentAt: sql`now()`, lastError: null });

/** A send that failed: back to `pending` after a delay, or `failed`/`unknown` with the reason. Apply to `sending` rows. */
export const markedFailed = (outcome: SendFailure) => ({
  state: outcome.state,
  lastError: outcome.error.slice(0, 500),
  nextAttemptAt: outcome.state === "pending" ? sql`now() + ${outcome.retryInSeconds} * interval '1 second'` : undefined,
});

/** Left `sending` by a sender that died. Apply to `sending` rows. */
export const markedInterrupted = () => ({ state: "unknown" as const, lastError: INTERRUPTED });

/** An admin's explicit choice for `unknown` rows: send again (the reader may get it twice). */
export const markedForResend = () => ({ state: "pending" as const, lastError: null, nextAttemptAt: sql`now()` });
