import "server-only";
import { and, arrayContains, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organisationInvites, organisationMembers, organisationReads, organisations, users, type Organisation, type User } from "@/db/schema";
import { releaseSeat } from "./seats";

type Signed = Pick<User, "email" | "emailVerified">;

/**
 * The organisations this reader manages: their address is one of the managers', and proven (a
 * verified sign-in). An unverified account manages nothing, whatever address it claims.
 */
export async function managedOrganisations(db: Db, user: Signed): Promise<Organisation[]> {
  if (!user.emailVerified || !user.email) return [];
  return db.select().from(organisations).where(arrayContains(organisations.managerEmails, [user.email])).orderBy(asc(organisations.id));
}

/** The organisation, when this reader manages it; null otherwise (the caller answers as if it did not exist). */
export async function managedOrganisation(db: Db, user: Signed, organisationId: number): Promise<Organisation | null> {
  return (await managedOrganisations(db, user)).find((o) => o.id === organisationId) ?? null;
}

export interface MemberRow {
  userId: string;
  email: string | null;
  name: string | null;
  via: "invite" | "domain";
  joinedAt: Date;
  /** Licensed reads in the month asked for: a count, never which articles. */
  reads: number;
}

/** An organisation's members with their read counts for one month (`YYYY-MM-01`), by address. */
export async function listMembers(db: Db, organisationId: number, month: string): Promise<MemberRow[]> {
  const rows = await db
    .select({
      userId: organisationMembers.userId,
      email: users.email,
      name: users.name,
      via: organisationMembers.via,
      joinedAt: organisationMembers.joinedAt,
      reads: sql<number>`coalesce(${organisationReads.reads}, 0)`,
    })
    .from(organisationMembers)
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .leftJoin(
      organisationReads,
      and(eq(organisationReads.organisationId, organisationMembers.organisationId), eq(organisationReads.userId, organisationMembers.userId), eq(organisationReads.month, month)),
    )
    .where(eq(organisationMembers.organisationId, organisationId))
    .orderBy(asc(users.email));
  return rows.map((r) => ({ ...r, reads: Number(r.reads) }));
}

/** Reads from the organisation's IP ranges in one month (no account, so no member to count them to). */
export async function addressReads(db: Db, organisationId: number, month: string): Promise<number> {
  const [row] = await db
    .select({ reads: organisationReads.reads })
    .from(organisationReads)
    .where(and(eq(organisationReads.organisationId, organisationId), eq(organisationReads.month, month), isNull(organisationReads.userId)));
  return row?.reads ?? 0;
}

/** Invitations not yet used, withdrawn or expired. */
export async function openInvites(db: Db, organisationId: number, now: Date) {
  return db
    .select({ id: organisationInvites.id, email: organisationInvites.email, createdAt: organisationInvites.createdAt, expiresAt: organisationInvites.expiresAt })
    .from(organisationInvites)
    .where(
      and(
        eq(organisationInvites.organisationId, organisationId),
        isNull(organisationInvites.acceptedAt),
        isNull(organisationInvites.revokedAt),
        gt(organisationInvites.expiresAt, now),
      ),
    )
    .orderBy(asc(organisationInvites.email));
}

/** A manager removes a member: their reading through this licence ends on every instance when it commits. */
export async function removeMember(db: Db, organisationId: number, userId: string): Promise<boolean> {
  return db.transaction((tx) => releaseSeat(tx, organisationId, userId));
}
