import "server-only";
import { and, count, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { organisationMembers, organisations, type MembershipVia } from "@/db/schema";
import { announceChange } from "@/lib/cache/invalidation";
import { noteSeatLevel } from "./seat-mails";

export type SeatOutcome = { ok: true; joined: boolean } | { ok: false; reason: "no-organisation" | "term-not-running" | "no-seat-left" };

/**
 * Gives a reader one of the organisation's seats, inside the caller's transaction. The
 * organisation's row is locked first, so two joins racing for the last seat are counted one
 * after the other: one gets it, the other is told there is none. Already a member: nothing changes.
 */
export async function takeSeat(tx: Tx, organisationId: number, userId: string, via: MembershipVia, now: Date): Promise<SeatOutcome> {
  const [org] = await tx
    .select({ seats: organisations.seats, termStart: organisations.termStart, termEnd: organisations.termEnd })
    .from(organisations)
    .where(eq(organisations.id, organisationId))
    .for("update");
  if (!org) return { ok: false, reason: "no-organisation" };
  if (now < org.termStart || now >= org.termEnd) return { ok: false, reason: "term-not-running" };
  const [existing] = await tx
    .select({ userId: organisationMembers.userId })
    .from(organisationMembers)
    .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.userId, userId)));
  if (existing) return { ok: true, joined: false };
  const [taken] = await tx.select({ n: count() }).from(organisationMembers).where(eq(organisationMembers.organisationId, organisationId));
  if ((taken?.n ?? 0) >= org.seats) return { ok: false, reason: "no-seat-left" };
  await tx.insert(organisationMembers).values({ organisationId, userId, via, joinedAt: now });
  // The reader's cached facts (every instance) must learn of the seat.
  await announceChange(tx, "readers", userId);
  // 90 % or every seat taken: the managers and the publisher are mailed once per crossing.
  await noteSeatLevel(tx, organisationId);
  return { ok: true, joined: true };
}

/** Ends a reader's seat: their reading through it ends on every instance when this commits. */
export async function releaseSeat(tx: Tx, organisationId: number, userId: string): Promise<boolean> {
  // Locked first, as takeSeat does, so the seat mail level is judged on the count after this removal.
  await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, organisationId)).for("update");
  const removed = await tx
    .delete(organisationMembers)
    .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.userId, userId)))
    .returning({ userId: organisationMembers.userId });
  if (removed.length === 0) return false;
  await announceChange(tx, "readers", userId);
  await noteSeatLevel(tx, organisationId);
  return true;
}

export const SEAT_REFUSALS: Record<Exclude<SeatOutcome, { ok: true }>["reason"], string> = {
  "no-organisation": "This organisation no longer exists.",
  "term-not-running": "The organisation's licence is not running now, so nobody can join it.",
  "no-seat-left": "Every seat of the organisation's licence is taken: ask its manager to free one.",
};
