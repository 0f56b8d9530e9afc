import "server-only";
import { and, eq, gt, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organisationInvites, organisationMembers, organisations, users, type User } from "@/db/schema";
import { deliverBillingMailsSoon } from "@/lib/billing/billing-mail-delivery";
import { env } from "@/lib/env";
import { organisationInviteEmail } from "@/lib/mail/templates/organisation-invite";
import { sendBulkMail } from "@/lib/mail/transport";
import { hashInviteToken, INVITE_DAYS, newInviteToken } from "./invite-token";
import { SEAT_REFUSALS, takeSeat } from "./seats";

const DAY_MS = 86_400_000;

/** The page an invitation's link opens; accepting it there is a POST, so a mail scanner cannot use it up. */
export function inviteUrl(token: string): string {
  const url = new URL("/org/invite", env().SITE_URL);
  url.searchParams.set("token", token);
  return url.toString();
}

export interface NewInvites {
  organisationName: string;
  links: Array<{ email: string; token: string }>;
}

/**
 * Writes the invitations, all or none: each address gets a new one-time link (an open
 * invitation to the same address is replaced). Null when the organisation no longer exists.
 */
export async function createInvites(db: Db, organisationId: number, emails: string[], invitedBy: string, now: Date): Promise<NewInvites | null> {
  return db.transaction(async (tx) => {
    const [org] = await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, organisationId)).for("update");
    if (!org) return null;
    if (emails.length > 0) {
      await tx
        .update(organisationInvites)
        .set({ revokedAt: now })
        .where(and(eq(organisationInvites.organisationId, organisationId), inArray(organisationInvites.email, emails), isNull(organisationInvites.acceptedAt), isNull(organisationInvites.revokedAt)));
    }
    const links = emails.map((email) => ({ email, token: newInviteToken() }));
    for (let i = 0; i < links.length; i += 500) {
      await tx.insert(organisationInvites).values(
        links.slice(i, i + 500).map((m) => ({ organisationId, email: m.email, tokenHash: hashInviteToken(m.token), invitedBy, createdAt: now, expiresAt: new Date(now.getTime() + INVITE_DAYS * DAY_MS) })),
      );
    }
    return { organisationName: org.name, links };
  });
}

/** Mails the links after their commit, over one pooled connection; returns the addresses the mail server refused (their invitations stand: invite them again). */
export async function mailInvites(invites: NewInvites): Promise<string[]> {
  const unsent: string[] = [];
  for (const { email, token } of invites.links) {
    try {
      await sendBulkMail(organisationInviteEmail({ to: email, url: inviteUrl(token), siteName: env().SITE_NAME, organisationName: invites.organisationName, expiresInDays: INVITE_DAYS }));
    } catch {
      unsent.push(email);
    }
  }
  return unsent;
}

/** Invites addresses: the invitations written together, then mailed. */
export async function inviteMembers(db: Db, organisationId: number, emails: string[], invitedBy: string, now: Date): Promise<{ sent: number; unsent: string[] }> {
  const invites = await createInvites(db, organisationId, emails, invitedBy, now);
  if (!invites) return { sent: 0, unsent: emails };
  const unsent = await mailInvites(invites);
  return { sent: invites.links.length - unsent.length, unsent };
}

/** What inviting these addresses would do, before anything is written: who is a member already, who has an open invitation (replaced). */
export async function previewInvites(db: Db, organisationId: number, emails: string[], now: Date): Promise<{ total: number; members: string[]; pending: string[] }> {
  if (emails.length === 0) return { total: 0, members: [], pending: [] };
  const [members, pending] = await Promise.all([
    db
      .select({ email: users.email })
      .from(organisationMembers)
      .innerJoin(users, eq(users.id, organisationMembers.userId))
      .where(and(eq(organisationMembers.organisationId, organisationId), inArray(users.email, emails))),
    db
      .select({ email: organisationInvites.email })
      .from(organisationInvites)
      .where(
        and(
          eq(organisationInvites.organisationId, organisationId),
          inArray(organisationInvites.email, emails),
          isNull(organisationInvites.acceptedAt),
          isNull(organisationInvites.revokedAt),
          gt(organisationInvites.expiresAt, now),
        ),
      ),
  ]);
  return { total: emails.length, members: members.map((m) => m.email!).sort(), pending: pending.map((p) => p.email).sort() };
}

export type InviteState = "open" | "expired" | "used" | "withdrawn";

/** What an invitation link shows before it is accepted: the organisation and whether it can still be used. Null for an unknown token. */
export async function findInvite(db: Db, token: string, now: Date): Promise<{ organisationName: string; email: string; state: InviteState; acceptedBy: string | null } | null> {
  const [row] = await db
    .select({ name: organisations.name, invite: organisationInvites })
    .from(organisationInvites)
    .innerJoin(organisations, eq(organisations.id, organisationInvites.organisationId))
    .where(eq(organisationInvites.tokenHash, hashInviteToken(token)));
  if (!row) return null;
  return { organisationName: row.name, email: row.invite.email, state: inviteState(row.invite, now), acceptedBy: row.invite.acceptedBy };
}

function inviteState(invite: typeof organisationInvites.$inferSelect, now: Date): InviteState {
  if (invite.acceptedAt) return "used";
  if (invite.revokedAt) return "withdrawn";
  return invite.expiresAt <= now ? "expired" : "open";
}

export type AcceptOutcome = { ok: true; organisationName: string } | { ok: false; message: string };

const STATE_MESSAGES: Record<Exclude<InviteState, "open">, string> = {
  used: "This invitation was already used: it works once.",
  withdrawn: "This invitation was withdrawn or replaced by a newer one: use the latest email, or ask the manager again.",
  expired: `This invitation has expired (they last ${INVITE_DAYS} days): ask the manager for a new one.`,
};

/**
 * Accepts an invitation for the signed-in reader: only the address it was sent to, proven by a
 * verified sign-in, may use it, once. The seat is taken in the same transaction (atomically).
 */
export async function acceptInvite(db: Db, token: string, user: Pick<User, "id" | "email" | "emailVerified">, now: Date): Promise<AcceptOutcome> {
  const outcome = await db.transaction(async (tx): Promise<AcceptOutcome> => {
    const [invite] = await tx.select().from(organisationInvites).where(eq(organisationInvites.tokenHash, hashInviteToken(token))).for("update");
    if (!invite) return { ok: false, message: "This invitation link is not one of ours: open it from the email again." };
    const state = inviteState(invite, now);
    if (state !== "open") return { ok: false, message: STATE_MESSAGES[state] };
    if (!user.emailVerified || user.email !== invite.email) {
      return { ok: false, message: "This invitation is for another address: sign in with the address it was sent to." };
    }
    const seat = await takeSeat(tx, invite.organisationId, user.id, "invite", now);
    if (!seat.ok) return { ok: false, message: SEAT_REFUSALS[seat.reason] };
    await tx.update(organisationInvites).set({ acceptedAt: now, acceptedBy: user.id }).where(eq(organisationInvites.id, invite.id));
    const [org] = await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, invite.organisationId));
    return { ok: true, organisationName: org?.name ?? "" };
  });
  // A seat mail the seat recorded goes out after the commit.
  if (outcome.ok) deliverBillingMailsSoon(db);
  return outcome;
}

/** Withdraws an open invitation of this organisation; false when there is none. */
export async function withdrawInvite(db: Db, organisationId: number, inviteId: number, now: Date): Promise<boolean> {
  const rows = await db
    .update(organisationInvites)
    .set({ revokedAt: now })
    .where(and(eq(organisationInvites.id, inviteId), eq(organisationInvites.organisationId, organisationId), isNull(organisationInvites.acceptedAt), isNull(organisationInvites.revokedAt)))
    .returning({ id: organisationInvites.id });
  return rows.length > 0;
}
