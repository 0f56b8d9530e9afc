import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/current-user";
import { joinableByDomain, membershipsOf } from "@/lib/organisations/domain-join";
import { monthParam } from "@/lib/organisations/form";
import { addressReads, listMembers, managedOrganisations, openInvites } from "@/lib/organisations/managers";
import { inviteAction, joinByDomainAction, removeMemberAction, withdrawInviteAction } from "./actions";
import { OrgActionForm } from "./org-action-form";

export const metadata: Metadata = { title: "Your organisation", robots: { index: false } };

const dateOnly = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The organisation page: the licences a reader reads under, the ones their verified address may
 * join, and for a manager their members, invitations and reads per member per month (counts only).
 */
export default async function OrgPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("/org");
  const now = new Date();
  const month = monthParam((await searchParams).month, now);
  const db = await getDb();
  const [managed, memberships, joinable] = await Promise.all([managedOrganisations(db, user), membershipsOf(db, user.id), joinableByDomain(db, user, now)]);
  const views = await Promise.all(
    managed.map(async (org) => ({
      org,
      members: await listMembers(db, org.id, month),
      invites: await openInvites(db, org.id, now),
      fromRanges: await addressReads(db, org.id, month),
    })),
  );
  return (
    <section className="page org-page">
      <h1>Your organisation</h1>
      {!user.emailVerified && <p>Sign in with the link we email you to prove your address: only a verified address can join or manage an organisation.</p>}
      {memberships.length > 0 && (
        <section aria-labelledby="memberships-heading">
          <h2 id="memberships-heading">You read under</h2>
          <ul data-testid="memberships">
            {memberships.map((m) => (
              <li key={m.id}>
                {m.name}, licence until {dateOnly(m.termEnd)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {joinable.length > 0 && (
        <section aria-labelledby="joinable-heading">
          <h2 id="joinable-heading">Join with your address</h2>
          {joinable.map((o) => (
            <OrgActionForm key={o.id} action={joinByDomainAction} fields={{ organisationId: o.id }} submit={`Join ${o.name}`} pendingLabel="Joining…" label={`Join ${o.name}`} />
          ))}
        </section>
      )}
      {memberships.length === 0 && joinable.length === 0 && managed.length === 0 && <p>You are not part of an organisation&apos;s licence.</p>}
      {views.map(({ org, members, invites, fromRanges }) => (
        <section key={org.id} aria-labelledby={`org-${org.id}-heading`} data-organisation={org.name}>
          <h2 id={`org-${org.id}-heading`}>{org.name}</h2>
          <p data-testid="seats-used">
            {members.length} of {org.seats} seats used · licence {dateOnly(org.termStart)} – {dateOnly(org.termEnd)}
          </p>
          <form method="get" className="org-month">
            <label htmlFor={`month-${org.id}`}>Reads in</label> <input id={`month-${org.id}`} type="month" name="month" defaultValue={month.slice(0, 7)} />{" "}
            <button className="button button--secondary" type="submit">
              Show
            </button>{" "}
            <a href={`/org/members.csv?organisation=${org.id}&month=${month.slice(0, 7)}`} download>
              Download members (CSV)
            </a>
          </form>
          <table className="admin-table" data-testid="members">
            <caption>Members, and how many articles each read in {month.slice(0, 7)} (counts only)</caption>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Joined</th>
                <th scope="col">Reads</th>
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.length === 0 ? (
                <tr>
                  <td colSpan={4}>No members yet.</td>
                </tr>
              ) : (
                members.map((m) => (
                  <tr key={m.userId} data-member={m.email ?? ""}>
                    <th scope="row">{m.email}</th>
                    <td>
                      {dateOnly(m.joinedAt)} ({m.via === "invite" ? "invited" : "by domain"})
                    </td>
                    <td data-testid="member-reads">{m.reads}</td>
                    <td>
                      <OrgActionForm
                        action={removeMemberAction}
                        fields={{ organisationId: org.id, userId: m.userId }}
                        submit="Remove"
                        pendingLabel="Removing…"
                        label={`Remove ${m.email ?? "member"}`}
                      />
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
          {org.ipRanges.length > 0 && <p>Reads from your IP ranges in {month.slice(0, 7)}: {fromRanges}</p>}
          <h3>Invitations waiting</h3>
          {invites.length === 0 ? (
            <p>None.</p>
          ) : (
            <ul data-testid="invites">
              {invites.map((i) => (
                <li key={i.id}>
                  {i.email}, expires {dateOnly(i.expiresAt)}{" "}
                  <OrgActionForm action={withdrawInviteAction} fields={{ organisationId: org.id, inviteId: i.id }} submit="Withdraw" label={`Withdraw the invitation to ${i.email}`} />
                </li>
              ))}
            </ul>
          )}
          <h3>Invite</h3>
          <OrgActionForm action={inviteAction} fields={{ organisationId: org.id }} submit="Send invitations" pendingLabel="Sending…" previewLabel="Preview" label={`Invite to ${org.name}`}>
            <label htmlFor={`invite-${org.id}`}>Addresses, one per line (or paste a CSV whose first column is the address; up to 1,000)</label>
            <textarea id={`invite-${org.id}`} name="emails" rows={4} />
          </OrgActionForm>
        </section>
      ))}
    </section>
  );
}
