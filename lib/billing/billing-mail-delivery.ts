import "server-only";
import type { Db } from "@/db/client";
import { backgroundPasses } from "@/lib/jobs/background-passes";
import { classifySendError } from "@/lib/mail/smtp-outcome";
import { mailTransport, sendMail } from "@/lib/mail/transport";
import { claimNext, markInterrupted, markOutcome, markSent } from "./billing-mail-outbox";

/** Retries of a mail server that is down: the delay doubles from 30 s to an hour, about 3 hours in all. */
const MAX_ATTEMPTS = 10;
/** One pass sends at most this many (the rest wait for the next pass). */
const PER_PASS = 50;

/**
 * Sends the billing mails that are due, one at a time (one row in flight: a crash leaves at most
 * one `unknown`). Called after a webhook's transaction commits and by the periodic sweep; any
 * number may run at once, on any instance (the claim is exclusive). An SMTP error is recorded on
 * its row, never thrown: the event that recorded the mail is processed whatever the mail server does.
 */
export async function deliverBillingMails(db: Db): Promise<{ sent: number }> {
  if (!mailTransport()) return { sent: 0 };
  await markInterrupted(db);
  let sent = 0;
  for (let i = 0; i < PER_PASS; i++) {
    const row = await claimNext(db);
    if (!row) break;
    try {
      await sendMail(row.content);
    } catch (error) {
      await markOutcome(db, row.key, classifySendError(error, row.attempts, MAX_ATTEMPTS));
      continue;
    }
    await markSent(db, row.key);
    sent++;
  }
  return { sent };
}

const passes = backgroundPasses("Billing mail waits for the sweep:");

/**
 * A delivery pass in the background, after a webhook recorded mail: the webhook answers Stripe
 * at once, whatever the mail server does (a hung one would otherwise hold the answer past
 * Stripe's timeout, and its retry would only be a duplicate).
 */
export function deliverBillingMailsSoon(db: Db): void {
  passes.start(() => deliverBillingMails(db));
}

/** Resolves once the background passes have finished (for tests, which count the mail). */
export function billingMailIdle(): Promise<void> {
  return passes.idle();
}
