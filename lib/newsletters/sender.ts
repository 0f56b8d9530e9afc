import "server-only";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Db } from "@/db/client";
import type { Reader } from "@/lib/access/reader";
import { env } from "@/lib/env";
import { sendBulkMail } from "@/lib/mail/transport";
import { IssueNotSendable, loadIssueContent, type IssueContent } from "./issue-content";
import { issueEmail } from "./mail/issue-email";
import { acquireLease, claimNext, finishIssues, hasWorkLeft, markOutcome, markSent, releaseLease, upcomingUserIds, type ClaimedRow } from "./outbox";
import { readersFor } from "./recipient-access";
import { loadNewsletterSettings } from "./settings";
import { classifySendError } from "@/lib/mail/smtp-outcome";

export interface SenderOptions {
  /** How long the lease lasts without renewal: another sender takes over after a crash once it runs out. */
  leaseSeconds?: number;
  /** How long to wait when there is nothing to send (or the lease is someone else's). */
  idleMs?: number;
  /** Return once nothing is left to send (the CLI worker), instead of waiting for more. */
  untilIdle?: boolean;
  signal?: AbortSignal;
}

const LOOKAHEAD = 200;

/**
 * The outbox sender: one at a time across every instance (the lease), one row in flight at a
 * time, paced at the messages-per-second setting (read again every few seconds). Resumable:
 * whatever kills it, the next sender carries on from the outbox (see outbox.ts for the rule).
 */
export async function runSender(db: Db, options: SenderOptions = {}): Promise<{ sent: number }> {
  const { leaseSeconds = 30, idleMs = 1_000, untilIdle = false, signal } = options;
  const holder = `${hostname()}:${process.pid}:${randomUUID()}`;
  // `accepted`: the row the server just took, marked sent with the next claim (or at once before a wait).
  const state = { held: false, renewedAt: 0, rate: 20, nextSlot: 0, sent: 0, accepted: null as number | null };
  const issues = new Map<number, Promise<IssueContent>>();
  const readers = new Map<string, Reader>();
  try {
    while (!signal?.aborted) {
      if (!env().EMAIL_SERVER) {
        await sleep(idleMs * 5, signal);
        continue;
      }
      if (!state.held || Date.now() - state.renewedAt > (leaseSeconds * 1000) / 3) {
        const held = await acquireLease(db, holder, leaseSeconds, !state.held);
        state.held = held;
        if (!held) {
          await sleep(idleMs, signal);
          continue;
        }
        state.renewedAt = Date.now();
        state.rate = (await loadNewsletterSettings(db)).messagesPerSecond;
        // Reloaded every renewal: an article made subscriber-only mid-send is judged as it is now.
        issues.clear();
        readers.clear();
      }
      // Wait for this message's slot first, so a row is `sending` only for its own SMTP call.
      if (state.accepted !== null && state.nextSlot - Date.now() > 5) await markSent(db, state.accepted).then(() => (state.accepted = null));
      await sleep(state.nextSlot - Date.now(), signal);
      const row = await claimNext(db, holder, state.accepted);
      state.accepted = null;
      if (!row) {
        await finishIssues(db);
        if (untilIdle && !(await hasWorkLeft(db))) break;
        await sleep(idleMs, signal);
        continue;
      }
      state.nextSlot = Math.max(Date.now(), state.nextSlot) + 1000 / state.rate;
      if (await deliver(db, row, issues, readers)) {
        state.accepted = row.id;
        state.sent++;
      }
    }
  } finally {
    if (state.accepted !== null) await markSent(db, state.accepted).catch(() => {});
    if (state.held) await releaseLease(db, holder).catch(() => {});
  }
  return { sent: state.sent };
}

async function deliver(db: Db, row: ClaimedRow, issues: Map<number, Promise<IssueContent>>, readers: Map<string, Reader>): Promise<boolean> {
  if (!row.userId || !row.stillSubscribed) {
    await markOutcome(db, row.id, { state: "failed", error: "Unsubscribed (or account deleted) before it was sent." });
    return false;
  }
  let content: IssueContent;
  try {
    if (issues.size > 20) issues.clear();
    if (!issues.has(row.issueId)) issues.set(row.issueId, loadIssueContent(db, row.issueId));
    content = await issues.get(row.issueId)!;
  } catch (error) {
    issues.delete(row.issueId);
    if (!(error instanceof IssueNotSendable)) throw error;
    await markOutcome(db, row.id, { state: "failed", error: error.message });
    return false;
  }
  let locked = null;
  if (content.article) {
    if (!readers.has(row.userId)) {
      if (readers.size > 10_000) readers.clear();
      const upcoming = await upcomingUserIds(db, row.issueId, row.id, LOOKAHEAD);
      for (const [id, reader] of await readersFor(db, [row.userId, ...upcoming])) readers.set(id, reader);
    }
    // The same decision as the web, per recipient: the locked part only for one allowed to read it.
    if (content.levelFor(readers.get(row.userId)!, new Date()) === "full") locked = await content.locked();
  }
  try {
    await sendBulkMail(issueEmail(content, { outboxId: row.id, userId: row.userId, email: row.email }, locked));
  } catch (error) {
    await markOutcome(db, row.id, classifySendError(error, row.attempts));
    return false;
  }
  return true;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
