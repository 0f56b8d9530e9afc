"use server";

import { refresh } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { getCurrentUser } from "@/lib/auth/current-user";
import { joinByDomain } from "@/lib/organisations/domain-join";
import { acceptInviteSchema, inviteListSchema, inviteRefSchema, memberRefSchema, organisationRefSchema } from "@/lib/organisations/form";
import { acceptInvite, inviteMembers, previewInvites, withdrawInvite } from "@/lib/organisations/invites";
import { managedOrganisation, removeMember } from "@/lib/organisations/managers";

export interface OrgActionState {
  ok: boolean;
  message: string;
}

const formObject = (formData: FormData) => Object.fromEntries([...formData.entries()].filter(([k, v]) => !k.startsWith("$ACTION") && typeof v === "string"));
const NOT_FOUND = "No such organisation among those you manage.";

/**
 * Every /org action: the caller is the signed-in reader (checked first, from the session), then
 * the form is parsed; bad input changes nothing. Managers' actions check the manager per organisation.
 */
function readerAction<S extends z.ZodType>(schema: S, body: (input: z.output<S>, user: NonNullable<Awaited<ReturnType<typeof getCurrentUser>>>) => Promise<OrgActionState>) {
  return async (_previous: OrgActionState | null, formData: FormData): Promise<OrgActionState> => {
    const user = await getCurrentUser();
    if (!user) return { ok: false, message: "Sign in first." };
    const parsed = schema.safeParse(formObject(formData));
    if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => i.message).join(" ") };
    const result = await body(parsed.data, user);
    if (result.ok) refresh();
    return result;
  };
}

const list = (emails: string[]) => `${emails.slice(0, 10).join(", ")}${emails.length > 10 ? ` and ${emails.length - 10} more` : ""}`;

export const inviteAction = readerAction(inviteListSchema, async ({ organisationId, emails, step }, user) => {
  const db = await getDb();
  if (!(await managedOrganisation(db, user, organisationId))) return { ok: false, message: NOT_FOUND };
  if (step === "preview") {
    const p = await previewInvites(db, organisationId, emails, new Date());
    return {
      ok: true,
      message: [
        `${p.total.toLocaleString("en-US")} ${p.total === 1 ? "address" : "addresses"} ready to invite; nothing is sent until you press Send invitations.`,
        p.members.length > 0 ? `Already members (they keep their seat): ${list(p.members)}.` : "",
        p.pending.length > 0 ? `Invited already (the new link replaces the old): ${list(p.pending)}.` : "",
      ]
        .filter(Boolean)
        .join(" "),
    };
  }
  const { sent, unsent } = await inviteMembers(db, organisationId, emails, user.email!, new Date());
  if (unsent.length > 0) return { ok: false, message: `Invited ${sent}; the mail server refused ${unsent.join(", ")}: invite them again.` };
  return { ok: true, message: `Invited ${sent} ${sent === 1 ? "address" : "addresses"}: each gets a link that works once, for 30 days.` };
});

export const removeMemberAction = readerAction(memberRefSchema, async ({ organisationId, userId }, user) => {
  const db = await getDb();
  if (!(await managedOrganisation(db, user, organisationId))) return { ok: false, message: NOT_FOUND };
  const removed = await removeMember(db, organisationId, userId);
  return removed ? { ok: true, message: "Removed: their seat is free, and their access through it has ended." } : { ok: false, message: "They are no longer a member." };
});

export const withdrawInviteAction = readerAction(inviteRefSchema, async ({ organisationId, inviteId }, user) => {
  const db = await getDb();
  if (!(await managedOrganisation(db, user, organisationId))) return { ok: false, message: NOT_FOUND };
  const done = await withdrawInvite(db, organisationId, inviteId, new Date());
  return done ? { ok: true, message: "Invitation withdrawn: its link no longer works." } : { ok: false, message: "That invitation was already used, withdrawn or expired." };
});

export const joinByDomainAction = readerAction(organisationRefSchema, async ({ organisationId }, user) => {
  const joined = await joinByDomain(await getDb(), organisationId, user, new Date());
  return joined.ok ? { ok: true, message: `You joined ${joined.organisationName}: you can read every article while its licence runs.` } : joined;
});

export const acceptInviteAction = readerAction(acceptInviteSchema, async ({ token }, user) => {
  const accepted = await acceptInvite(await getDb(), token, user, new Date());
  return accepted.ok ? { ok: true, message: `Welcome to ${accepted.organisationName}: you can read every article while its licence runs.` } : accepted;
});
