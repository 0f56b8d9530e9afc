import "server-only";
import { count, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { organisationMembers, organisations } from "@/db/schema";
import { recordBillingMail } from "@/lib/billing/billing-mail-outbox";
import { env } from "@/lib/env";
import { organisationSeatsEmail } from "@/lib/mail/templates/organisation-invite";

export type SeatLevel = 0 | 90 | 100;

/**
 * The seat mail threshold `used` of `seats` has reached: 100 when every seat is taken, 90 from
 * ceil(90 % of seats), else 0. Below 10 seats the 90 % mark is the last seat itself, so only the
 * 100 % mail is sent.
 */
export function seatLevel(used: number, seats: number): SeatLevel {
  if (used >= seats) return 100;
  return used * 10 >= seats * 9 ? 90 : 0;
}

/**
 * Records the seat mails a change of seats (taken, freed, or sold) calls for, inside that change's
 * transaction, with the organisation's row locked by it. A crossing upward mails the managers and
 * the publisher (ADMIN_EMAILS) once, the highest threshold reached, keyed by the organisation's
 * mail count and the address, through the billing mail outbox (it survives a mail server outage).
 * Falling below a threshold re-arms it. True when mail was recorded (the caller delivers after commit).
 */
export async function noteSeatLevel(tx: Tx, organisationId: number): Promise<boolean> {
  const [org] = await tx
    .select({ name: organisations.name, seats: organisations.seats, level: organisations.seatMailLevel, mails: organisations.seatMails, managers: organisations.managerEmails })
    .from(organisations)
    .where(eq(organisations.id, organisationId))
    .for("update");
  if (!org) return false;
  const [taken] = await tx.select({ n: count() }).from(organisationMembers).where(eq(organisationMembers.organisationId, organisationId));
  const used = Number(taken?.n ?? 0);
  const level = seatLevel(used, org.seats);
  if (level === org.level) return false;
  if (level === 0 || level < org.level) {
    await tx.update(organisations).set({ seatMailLevel: level }).where(eq(organisations.id, organisationId));
    return false;
  }
  const mailNo = org.mails + 1;
  await tx.update(organisations).set({ seatMailLevel: level, seatMails: mailNo }).where(eq(organisations.id, organisationId));
  const { SITE_NAME, SITE_URL, ADMIN_EMAILS } = env();
  const recipients = [...new Set([...org.managers, ...ADMIN_EMAILS])];
  for (const to of recipients) {
    // Managers open /org; the publisher's admins the organisation's list.
    const orgUrl = new URL(org.managers.includes(to) ? "/org" : "/admin/organisations", SITE_URL).toString();
    const mail = organisationSeatsEmail({ to, siteName: SITE_NAME, organisationName: org.name, used, seats: org.seats, level, orgUrl });
    await recordBillingMail(tx, `organisation_seats:${organisationId}:${mailNo}:${to}`, null, mail);
  }
  return recipients.length > 0;
}
