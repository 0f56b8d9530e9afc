import "server-only";
import { and, asc, count, eq, gt, inArray, isNull, ne, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { familyInvites, familyMembers, plans, subscriptions, users, type User } from "@/db/schema";
import { LIVE_STATUSES, subscriptionEntitlement } from "@/lib/access/entitlement";
import { subscriptionFactColumns } from "@/lib/access/subscription-facts";
import { announceChange } from "@/lib/cache/invalidation";
import { env } from "@/lib/env";
import { familyInviteEmail } from "@/lib/mail/templates/family-invite";
import { sendBulkMail } from "@/lib/mail/transport";
import { hashInviteToken, INVITE_DAYS, newInviteToken } from "@/lib/organisations/invite-token";

const DAY_MS = 86_400_000;

/** A family plan's accounts include the payer (as "up to 4 separate logins" does): the payer shares with accounts − 1 members. */
export const memberPlaces = (familyAccounts: number) => familyAccounts - 1;

/** The payer's family subscription that reads now, with its members and open invitations; null when they pay for none. */
export interface PayerFamily {
  stripeSubscriptionId: string;
  planName: string;
  accounts: number;
  /** Addresses only: the payer never sees what a member reads. */
  members: Array<{ userId: string; email: string | null; joinedAt: Date }>;
  invites: Array<{ id: number; email: string; expiresAt: Date }>;
}

/** The payer's subscriptions on a family plan that read for the payer now (grace, a paid pause, cancel at period end included). */
async function readingFamilySubscriptions(db: Db, payerUserId: string, now: Date) {
  const rows = await db
    .select({ id: subscriptions.stripeSubscriptionId, planName: plans.name, accounts: plans.familyAccounts, created: subscriptions.stripeCreated, ...subscriptionFactColumns })
    .from(subscriptions)
    .innerJoin(plans, eq(plans.id, subscriptions.planId))
    .where(eq(subscriptions.userId, payerUserId))
    .orderBy(asc(subscriptions.stripeCreated));
  return rows.filter((r) => r.accounts !== null && subscriptionEntitlement(r, now, env().BILLING_GRACE_DAYS) !== null) as Array<(typeof rows)[number] & { accounts: number }>;
}

export async function payerFamily(db: Db, payerUserId: string, now: Date): Promise<PayerFamily | null> {
  const [sub] = await readingFamilySubscriptions(db, payerUserId, now);
  if (!sub) return null;
  const [members, invites] = await Promise.all([
    db
      .select({ userId: familyMembers.userId, email: users.email, joinedAt: familyMembers.joinedAt })
      .from(familyMembers)
      .innerJoin(users, eq(users.id, familyMembers.userId))
      .where(and(eq(familyMembers.stripeSubscriptionId, sub.id), isNull(familyMembers.endedAt)))
      .orderBy(asc(familyMembers.joinedAt)),
    db
      .select({ id: familyInvites.id, email: familyInvites.email, expiresAt: familyInvites.expiresAt })
      .from(familyInvites)
      .where(and(eq(familyInvites.stripeSubscriptionId, sub.id), isNull(familyInvites.acceptedAt), isNull(familyInvites.revokedAt), gt(familyInvites.expiresAt, now)))
      .orderBy(asc(familyInvites.createdAt)),
  ]);
  return { stripeSubscriptionId: sub.id, planName: sub.planName, accounts: sub.accounts, members, invites };
}

/** A place the reader holds in someone's family subscription, as their own account page shows it. */
export interface FamilyPlace {
  stripeSubscriptionId: string;
  payerEmail: string | null;
  /** Whether the place reads now; when not, the page says the family subscription ended. */
  reads: boolean;
  /** The payer removed the reader. */
  removed: boolean;
  until: Date | null;
}

export async function familyPlaces(db: Db, userId: string, now: Date): Promise<FamilyPlace[]> {
  const rows = await db
    .select({ id: subscriptions.stripeSubscriptionId, payerEmail: users.email, payerUserId: subscriptions.userId, accounts: plans.familyAccounts, endedBy: familyMembers.endedBy, ...subscriptionFactColumns })
    .from(familyMembers)
    .innerJoin(subscriptions, eq(subscriptions.stripeSubscriptionId, familyMembers.stripeSubscriptionId))
    .leftJoin(plans, eq(plans.id, subscriptions.planId))
    .leftJoin(users, eq(users.id, subscriptions.userId))
    .where(and(eq(familyMembers.userId, userId), or(isNull(familyMembers.endedBy), ne(familyMembers.endedBy, "member"))))
    .orderBy(asc(familyMembers.joinedAt));
  return rows.map((r) => {
    const right = r.endedBy === null && r.accounts !== null && r.payerUserId !== null ? subscriptionEntitlement(r, now, env().BILLING_GRACE_DAYS) : null;
    return { stripeSubscriptionId: r.id, payerEmail: r.payerEmail, reads: right !== null, removed: r.endedBy === "payer", until: right?.until ?? null };
  });
}

/** Whether the reader pays for a live subscription of their own (a family member is told they may not need it). */
export async function paysOwnSubscription(db: Db, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ n: count() })
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), inArray(subscriptions.status, LIVE_STATUSES)));
  return (row?.n ?? 0) > 0;
}

export type InviteOutcome = { ok: true; email: string; token: string; payerEmail: string } | { ok: false; field?: "email"; message: string };

/**
 * Writes the payer's invitation to one address (replacing an open one to the same address);
 * refused with a field error, writing nothing, for the payer's own address, a member, or when
 * every place is taken. Open invitations hold no place: the first to accept takes it.
 */
export async function createFamilyInvite(db: Db, payer: Pick<User, "id" | "email">, email: string, now: Date): Promise<InviteOutcome> {
  return db.transaction(async (tx) => {
    const [sub] = await readingFamilySubscriptions(tx, payer.id, now);
    if (!sub) return { ok: false, message: "You have no family subscription that reads now, so you cannot invite anyone." };
    // Serialises with accepts and other invites of this family.
    await tx.select({ id: subscriptions.stripeSubscriptionId }).from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, sub.id)).for("update");
    if (payer.email && email === payer.email.toLowerCase()) return { ok: false, field: "email", message: "That is your own address: you read on your subscription already." };
    const members = await tx
      .select({ email: users.email })
      .from(familyMembers)
      .innerJoin(users, eq(users.id, familyMembers.userId))
      .where(and(eq(familyMembers.stripeSubscriptionId, sub.id), isNull(familyMembers.endedAt)));
    if (members.some((m) => m.email === email)) return { ok: false, field: "email", message: `${email} is in your family already.` };
    if (members.length >= memberPlaces(sub.accounts)) {
      return { ok: false, field: "email", message: `Every place is taken: your plan is for up to ${sub.accounts} accounts, yours included. Remove someone first.` };
    }
    await tx
      .update(familyInvites)
      .set({ revokedAt: now })
      .where(and(eq(familyInvites.stripeSubscriptionId, sub.id), eq(familyInvites.email, email), isNull(familyInvites.acceptedAt), isNull(familyInvites.revokedAt)));
    const token = newInviteToken();
    await tx.insert(familyInvites).values({ stripeSubscriptionId: sub.id, email, tokenHash: hashInviteToken(token), invitedBy: payer.id, createdAt: now, expiresAt: new Date(now.getTime() + INVITE_DAYS * DAY_MS) });
    return { ok: true, email, token, payerEmail: payer.email ?? "" };
  });
}

/** The page an invitation's link opens; accepting there is a POST, so a mail scanner cannot use it up. */
export function familyInviteUrl(token: string): string {
  const url = new URL("/account/family/join", env().SITE_URL);
  url.searchParams.set("token", token);
  return url.toString();
}

/** Mails the link after its commit; false when the mail server refused it (the invitation stands: invite again). */
export async function mailFamilyInvite(invite: { email: string; token: string; payerEmail: string }): Promise<boolean> {
  try {
    await sendBulkMail(familyInviteEmail({ to: invite.email, url: familyInviteUrl(invite.token), siteName: env().SITE_NAME, payerEmail: invite.payerEmail, expiresInDays: INVITE_DAYS }));
    return true;
  } catch {
    return false;
  }
}

export type FamilyInviteState = "open" | "expired" | "used" | "withdrawn";

function inviteState(invite: typeof familyInvites.$inferSelect, now: Date): FamilyInviteState {
  if (invite.acceptedAt) return "used";
  if (invite.revokedAt) return "withdrawn";
  return invite.expiresAt <= now ? "expired" : "open";
}

/** What a link shows before it is accepted: who invited, which address, whether it can still be used. Null for an unknown token. */
export async function findFamilyInvite(db: Db, token: string, now: Date): Promise<{ email: string; payerEmail: string | null; state: FamilyInviteState; acceptedBy: string | null } | null> {
  const [row] = await db
    .select({ invite: familyInvites, payerEmail: users.email })
    .from(familyInvites)
    .innerJoin(subscriptions, eq(subscriptions.stripeSubscriptionId, familyInvites.stripeSubscriptionId))
    .leftJoin(users, eq(users.id, subscriptions.userId))
    .where(eq(familyInvites.tokenHash, hashInviteToken(token)));
  if (!row) return null;
  return { email: row.invite.email, payerEmail: row.payerEmail, state: inviteState(row.invite, now), acceptedBy: row.invite.acceptedBy };
}

export type AcceptFamilyOutcome = { ok: true; payerEmail: string | null; alsoPays: boolean } | { ok: false; message: string };

const STATE_MESSAGES: Record<Exclude<FamilyInviteState, "open">, string> = {
  used: "This invitation was already used: it works once.",
  withdrawn: "This invitation was withdrawn or replaced by a newer one: use the latest email, or ask again.",
  expired: `This invitation has expired (they last ${INVITE_DAYS} days): ask for a new one.`,
};

/**
 * Accepts an invitation for the signed-in reader: only the address it was sent to, proven by a
 * verified sign-in, may use it, once. The place is taken in the same transaction, after locking
 * the payer's subscription row, so two accepts racing for the last place are counted one after
 * the other: one gets it, the other is told every place is taken.
 */
export async function acceptFamilyInvite(db: Db, token: string, user: Pick<User, "id" | "email" | "emailVerified">, now: Date): Promise<AcceptFamilyOutcome> {
  return db.transaction(async (tx) => {
    const [invite] = await tx.select().from(familyInvites).where(eq(familyInvites.tokenHash, hashInviteToken(token))).for("update");
    if (!invite) return { ok: false, message: "This invitation link is not one of ours: open it from the email again." };
    const state = inviteState(invite, now);
    if (state !== "open") return { ok: false, message: STATE_MESSAGES[state] };
    if (!user.emailVerified || user.email?.toLowerCase() !== invite.email) {
      return { ok: false, message: "This invitation is for another address: sign in with the address it was sent to." };
    }
    const [sub] = await tx
      .select({ payerUserId: subscriptions.userId, accounts: plans.familyAccounts, ...subscriptionFactColumns })
      .from(subscriptions)
      .leftJoin(plans, eq(plans.id, subscriptions.planId))
      .where(eq(subscriptions.stripeSubscriptionId, invite.stripeSubscriptionId))
      .for("update", { of: subscriptions });
    if (!sub || sub.accounts === null || sub.payerUserId === null || !subscriptionEntitlement(sub, now, env().BILLING_GRACE_DAYS)) {
      return { ok: false, message: "This family subscription has ended, so nobody can join it." };
    }
    if (sub.payerUserId === user.id) return { ok: false, message: "This is your own subscription: you read on it already." };
    const [payer] = await tx.select({ email: users.email }).from(users).where(eq(users.id, sub.payerUserId));
    const [already] = await tx
      .select({ endedAt: familyMembers.endedAt })
      .from(familyMembers)
      .where(and(eq(familyMembers.stripeSubscriptionId, invite.stripeSubscriptionId), eq(familyMembers.userId, user.id)));
    if (!already || already.endedAt !== null) {
      const [taken] = await tx
        .select({ n: count() })
        .from(familyMembers)
        .where(and(eq(familyMembers.stripeSubscriptionId, invite.stripeSubscriptionId), isNull(familyMembers.endedAt)));
      if ((taken?.n ?? 0) >= memberPlaces(sub.accounts)) return { ok: false, message: "Every place in this family subscription is taken: ask its payer to free one." };
      // A place left or removed before is taken again.
      await tx
        .insert(familyMembers)
        .values({ stripeSubscriptionId: invite.stripeSubscriptionId, userId: user.id, joinedAt: now })
        .onConflictDoUpdate({ target: [familyMembers.stripeSubscriptionId, familyMembers.userId], set: { joinedAt: now, endedAt: null, endedBy: null } });
      // Every instance forgets the member's cached facts when this commits.
      await announceChange(tx, "readers", user.id);
    }
    await tx.update(familyInvites).set({ acceptedAt: now, acceptedBy: user.id }).where(eq(familyInvites.id, invite.id));
    const [own] = await tx
      .select({ n: count() })
      .from(subscriptions)
      .where(and(eq(subscriptions.userId, user.id), inArray(subscriptions.status, LIVE_STATUSES), ne(subscriptions.stripeSubscriptionId, invite.stripeSubscriptionId)));
    return { ok: true, payerEmail: payer?.email ?? null, alsoPays: (own?.n ?? 0) > 0 };
  });
}

/** Ends a place, freeing it: reading through it ends on every instance when this commits. */
async function releasePlace(tx: Db, stripeSubscriptionId: string, memberUserId: string, by: "payer" | "member", now: Date): Promise<boolean> {
  const removed = await tx
    .update(familyMembers)
    .set({ endedAt: now, endedBy: by })
    .where(and(eq(familyMembers.stripeSubscriptionId, stripeSubscriptionId), eq(familyMembers.userId, memberUserId), isNull(familyMembers.endedAt)))
    .returning({ userId: familyMembers.userId });
  if (removed.length === 0) return false;
  await announceChange(tx, "readers", memberUserId);
  return true;
}

/** A member leaves a family subscription; false when they hold no place in it. */
export async function leaveFamily(db: Db, memberUserId: string, stripeSubscriptionId: string, now: Date): Promise<boolean> {
  return db.transaction((tx) => releasePlace(tx, stripeSubscriptionId, memberUserId, "member", now));
}

/** The payer removes a member, freeing the place; only from a subscription the payer owns (anything else changes nothing). */
export async function removeFamilyMember(db: Db, payerUserId: string, memberUserId: string, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const owned = await tx
      .select({ id: familyMembers.stripeSubscriptionId })
      .from(familyMembers)
      .innerJoin(subscriptions, eq(subscriptions.stripeSubscriptionId, familyMembers.stripeSubscriptionId))
      .where(and(eq(subscriptions.userId, payerUserId), eq(familyMembers.userId, memberUserId), isNull(familyMembers.endedAt)));
    let removed = false;
    for (const { id } of owned) removed = (await releasePlace(tx, id, memberUserId, "payer", now)) || removed;
    return removed;
  });
}

/** The payer withdraws an open invitation of theirs; false when there is none. */
export async function withdrawFamilyInvite(db: Db, payerUserId: string, inviteId: number, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: familyInvites.id })
      .from(familyInvites)
      .innerJoin(subscriptions, eq(subscriptions.stripeSubscriptionId, familyInvites.stripeSubscriptionId))
      .where(and(eq(familyInvites.id, inviteId), eq(subscriptions.userId, payerUserId), isNull(familyInvites.acceptedAt), isNull(familyInvites.revokedAt)));
    if (!row) return false;
    await tx.update(familyInvites).set({ revokedAt: now }).where(eq(familyInvites.id, row.id));
    return true;
  });
}
