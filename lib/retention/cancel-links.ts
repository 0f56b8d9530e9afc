import "server-only";
/**
 * The mailed cancel link: a random token (only its SHA-256 is stored) for one subscription,
 * bound to the account that owned it and the address it was mailed to when it was made. It
 * proves only that its holder reads that mailbox: it cancels that subscription, once, before it
 * expires, and signs nobody in. Opening it shows the button (mail scanners open links); the
 * button's POST uses it up and records the cancel in the same transaction.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db, Queryable, Tx } from "@/db/client";
import { cancelLinks, plans, subscriptions, users, type CancelLink, type SubscriptionRow } from "@/db/schema";
import { afterCancellationRecorded, mayCancel, recordCancellation } from "./recorded-cancellation";

/** How long a mailed link works. */
export const CANCEL_LINK_HOURS = 24;

const hashOf = (token: string) => createHash("sha256").update(token).digest("base64url");

/** A token as it may appear in a link: 43 base64url characters (32 random bytes). */
export const cancelTokenPattern = /^[A-Za-z0-9_-]{43}$/;

export type LinkPurpose = CancelLink["purpose"];

/** Makes a link for this subscription of this account and address; the token goes only into the mail. */
export async function issueCancelLink(tx: Tx, input: { userId: string; email: string; subscriptionId: string; now: Date; purpose?: LinkPurpose }): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await tx.insert(cancelLinks).values({
    tokenHash: hashOf(token),
    userId: input.userId,
    email: input.email,
    stripeSubscriptionId: input.subscriptionId,
    purpose: input.purpose ?? "cancel",
    expiresAt: new Date(input.now.getTime() + CANCEL_LINK_HOURS * 3_600_000),
    createdAt: input.now,
  });
  return token;
}

export type LinkProblem = "invalid" | "used" | "expired";
export type LinkedSubscription = { link: CancelLink; sub: SubscriptionRow; plan: string };

/**
 * The link's subscription, while it is still its owner's and the owner's address is still the
 * one the link was mailed to (an account whose address changed, or a subscription moved to
 * another account, makes every older link invalid).
 */
async function linkedSubscription(db: Queryable, link: CancelLink): Promise<LinkedSubscription | null> {
  const [row] = await db
    .select({ sub: subscriptions, email: users.email, plan: plans.name })
    .from(subscriptions)
    .innerJoin(users, eq(users.id, subscriptions.userId))
    .leftJoin(plans, eq(plans.id, subscriptions.planId))
    .where(and(eq(subscriptions.stripeSubscriptionId, link.stripeSubscriptionId), eq(subscriptions.userId, link.userId)));
  if (!row || row.email !== link.email) return null;
  return { link, sub: row.sub, plan: row.plan ?? "subscription" };
}

/** The link, if the token is one made for `purpose` (a cancel link never withdraws, nor the reverse). */
async function findLink(db: Queryable, token: string, purpose: LinkPurpose): Promise<CancelLink | null> {
  if (!cancelTokenPattern.test(token)) return null;
  const [link] = await db.select().from(cancelLinks).where(and(eq(cancelLinks.tokenHash, hashOf(token)), eq(cancelLinks.purpose, purpose)));
  return link ?? null;
}

function problemOf(link: CancelLink | null, now: Date): LinkProblem | null {
  if (!link) return "invalid";
  if (link.usedAt) return "used";
  if (link.expiresAt.getTime() <= now.getTime()) return "expired";
  return null;
}

/** What opening the link shows: its subscription, or why it no longer works. Changes nothing. */
export async function readCancelLink(db: Db, token: string, now = new Date(), purpose: LinkPurpose = "cancel"): Promise<{ ok: true; linked: LinkedSubscription } | { ok: false; reason: LinkProblem }> {
  const link = await findLink(db, token, purpose);
  const problem = problemOf(link, now);
  if (problem) return { ok: false, reason: problem };
  const linked = await linkedSubscription(db, link!);
  return linked ? { ok: true, linked } : { ok: false, reason: "invalid" };
}

export type CancelByLinkOutcome = { ok: true; linked: LinkedSubscription; cancelled: boolean } | { ok: false; reason: LinkProblem };

/**
 * Uses the link up in the caller's transaction (one statement, so a replay or a second tab
 * finds it used): its subscription while still its owner's, or why it no longer works.
 */
export async function useLink(tx: Tx, token: string, purpose: LinkPurpose, now: Date): Promise<{ ok: true; linked: LinkedSubscription } | { ok: false; reason: LinkProblem }> {
  const link = await findLink(tx, token, purpose);
  const problem = problemOf(link, now);
  if (problem) return { ok: false, reason: problem };
  const [used] = await tx
    .update(cancelLinks)
    .set({ usedAt: now })
    .where(and(eq(cancelLinks.tokenHash, link!.tokenHash), isNull(cancelLinks.usedAt), gt(cancelLinks.expiresAt, now)))
    .returning();
  if (!used) return { ok: false, reason: "used" };
  const linked = await linkedSubscription(tx, used);
  return linked ? { ok: true, linked } : { ok: false, reason: "invalid" };
}

/**
 * The button: uses the link up (one statement, so a replay or a second tab finds it used) and
 * records the cancel in the same transaction; then Stripe is asked. `cancelled` is false when
 * the subscription was already ending (the link is used up all the same).
 */
export async function cancelByLink(db: Db, token: string, now = new Date()): Promise<CancelByLinkOutcome> {
  const result = await db.transaction(async (tx): Promise<CancelByLinkOutcome & { recorded?: number | null }> => {
    const used = await useLink(tx, token, "cancel", now);
    if (!used.ok) return used;
    const { linked } = used;
    if (!mayCancel(linked.sub)) return { ok: true, linked, cancelled: false };
    const recorded = await recordCancellation(tx, { sub: linked.sub, userId: linked.link.userId, via: "mailed_link", reason: null, now });
    return { ok: true, linked, cancelled: true, recorded };
  });
  if (result.ok && result.cancelled) await afterCancellationRecorded(db, result.recorded ?? null, now);
  if (!result.ok) return result;
  return { ok: true, linked: result.linked, cancelled: result.cancelled };
}
