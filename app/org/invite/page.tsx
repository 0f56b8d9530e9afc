import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { getCurrentUser } from "@/lib/auth/current-user";
import { inviteTokenSchema } from "@/lib/organisations/invite-token";
import { findInvite } from "@/lib/organisations/invites";
import { acceptInviteAction } from "../actions";
import { OrgActionForm } from "../org-action-form";

export const metadata: Metadata = { title: "An invitation", robots: { index: false }, referrer: "no-referrer" };

const STATES = {
  used: "This invitation was already used: it works once.",
  withdrawn: "This invitation was withdrawn or replaced by a newer one.",
  expired: "This invitation has expired: ask the manager for a new one.",
} as const;

/**
 * An invitation's link lands here. Accepting is a POST by the signed-in reader whose verified
 * address the invitation names, so a mail scanner opening the link uses nothing up.
 */
export default async function InvitePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const token = inviteTokenSchema.safeParse((await searchParams).token);
  const invite = token.success ? await findInvite(await getDb(), token.data, new Date()) : null;
  if (!token.success || !invite) {
    return (
      <section className="page">
        <h1>An invitation</h1>
        <p>This invitation link is not complete or not one of ours: open it from the email again.</p>
      </section>
    );
  }
  const user = await getCurrentUser();
  const here = `/org/invite?token=${token.data}`;
  const isInvitee = user?.emailVerified && user.email === invite.email;
  return (
    <section className="page">
      <h1>Join {invite.organisationName}</h1>
      {invite.state === "used" && user && invite.acceptedBy === user.id ? (
        <p role="status">
          Welcome to {invite.organisationName}: you can read every article while its licence runs. <a href="/org">Your organisation page</a>
        </p>
      ) : invite.state !== "open" ? (
        <p>{STATES[invite.state]}</p>
      ) : isInvitee ? (
        <OrgActionForm action={acceptInviteAction} fields={{ token: token.data }} submit="Accept the invitation" pendingLabel="Joining…" label="Accept the invitation">
          <p>
            {invite.organisationName} invites you to read every article under its licence. <a href="/org">Your organisation page</a>
          </p>
        </OrgActionForm>
      ) : (
        <>
          <p>This invitation works only for the address it was sent to, once you have signed in with it by the emailed link.</p>
          <p>
            <a className="button" href={`/signin?callbackUrl=${encodeURIComponent(here)}`}>
              {user ? "Sign in with the invited address" : "Sign in to accept"}
            </a>
          </p>
        </>
      )}
    </section>
  );
}
