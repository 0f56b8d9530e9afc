import "server-only";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { getDb, type Db } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session-user";
import { acceptFamilyInviteSchema, familyInviteSchema, familyTokenSchema, leaveFamilySchema, removeMemberSchema, withdrawInviteSchema } from "@/lib/family/fields";
import {
  acceptFamilyInvite,
  createFamilyInvite,
  familyPlaces,
  findFamilyInvite,
  leaveFamily,
  mailFamilyInvite,
  memberPlaces,
  payerFamily,
  paysOwnSubscription,
  removeFamilyMember,
  withdrawFamilyInvite,
} from "@/lib/family/places";
import { html, type SafeHtml } from "@/lib/ui/html";
import { scrollingTable } from "@/lib/ui/table";
import { readerForm } from "./reader-form";
import { readerOf, readerPageResponse, seeOther, toSignIn } from "./reader-page";

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });
const day = (d: Date) => dateFormat.format(d);

/** What the last change did (?done=…). */
const OUTCOMES: Record<string, string> = {
  invited: "The invitation is on its way: the link works once, for that address only, for 30 days.",
  unsent: "The invitation is saved, but the mail server refused it: invite the address again.",
  removed: "Removed: their place is free, and they no longer read on your subscription.",
  withdrawn: "The invitation is withdrawn.",
  left: "You left the family subscription.",
};

const ALSO_PAYS = "You also pay for a subscription of your own: while your family place reads, you may not need it (cancel it from your account page).";

type InviteRetry = { email: string; error: string };

/** /account/family: the payer's members (addresses only, never what they read), invitations and invite form; a member's places, with Leave. */
export async function familyPageResponse(request: NextRequest, retry?: InviteRetry): Promise<Response> {
  const user = await readerOf(request);
  if (!user) return toSignIn("/account/family");
  const db = await getDb();
  const now = new Date();
  const [family, places, ownLive] = await Promise.all([payerFamily(db, user.id, now), familyPlaces(db, user.id, now), paysOwnSubscription(db, user.id)]);
  const outcome = OUTCOMES[request.nextUrl.searchParams.get("done") ?? ""];
  return readerPageResponse(request, {
    title: "Your family subscription",
    user,
    noindex: true,
    status: retry ? 400 : 200,
    main: html`<section class="page">
  <h1>Your family subscription</h1>
  ${outcome && !retry ? html`<p class="form-message form-message--ok" role="status">${outcome}</p>` : ""}
  ${family ? payerSection(family, retry) : ""}
  ${places.length > 0 ? memberSection(places, ownLive && places.some((p) => p.reads)) : ""}
  ${
    !family && places.length === 0
      ? html`<p>A family plan lets the subscriber share reading with others, each with their own login and newsletters. You have no family subscription and hold no place in one.</p>
  <p><a class="button" href="/subscribe">See the plans</a></p>`
      : ""
  }
  <p><a href="/account">Back to your account</a></p>
</section>`,
  });
}

function payerSection(family: NonNullable<Awaited<ReturnType<typeof payerFamily>>>, retry: InviteRetry | undefined): SafeHtml {
  const free = memberPlaces(family.accounts) - family.members.length;
  return html`<div data-testid="family-payer">
  <p>Your ${family.planName} subscription reads for up to ${family.accounts} accounts, yours included: <span data-testid="family-places-free">${free}</span> of ${memberPlaces(family.accounts)} places free. Members see their own account only; you see who is in, never what they read.</p>
  <h2>Members</h2>
  ${
    family.members.length === 0
      ? html`<p>Nobody yet.</p>`
      : scrollingTable(
          "family-members",
          ["Address", "Since", html`<span class="visually-hidden">Remove</span>`],
          family.members.map(
            (m) => html`<tr data-member="${m.email ?? ""}"><td>${m.email ?? "(no address)"}</td><td>${day(m.joinedAt)}</td><td><form method="post" action="/account/family/remove"><input type="hidden" name="member" value="${m.userId}"><button class="button button--secondary button--small" type="submit" aria-label="Remove ${m.email ?? "this member"}">Remove</button></form></td></tr>`,
          ),
        )
  }
  ${
    family.invites.length > 0
      ? html`<h2>Open invitations</h2>
  <ul>${family.invites.map(
    (i) => html`<li data-invite="${i.email}">${i.email}, until ${day(i.expiresAt)} <form class="inline-form" method="post" action="/account/family/withdraw"><input type="hidden" name="invite" value="${i.id}"><button class="button button--secondary button--small" type="submit" aria-label="Withdraw the invitation to ${i.email}">Withdraw</button></form></li>`,
  )}</ul>`
      : ""
  }
  <h2>Invite someone</h2>
  <form method="post" action="/account/family" aria-label="Invite to your family subscription" novalidate>
    <div class="field">
      <label for="family-email">Their email address</label>
      ${retry ? html`<p class="field-error" id="family-email-error" role="alert">${retry.error}</p>` : ""}
      <input id="family-email" name="email" type="email" autocomplete="off" required value="${retry?.email ?? ""}"${retry ? html` aria-invalid="true" aria-describedby="family-email-error"` : ""}>
      <p class="field-hint">They get a one-time link; they accept it signed in with that address. Open invitations hold no place: the first to accept takes it.</p>
    </div>
    <button class="button" type="submit">Send the invitation</button>
  </form>
</div>`;
}

function memberSection(places: Awaited<ReturnType<typeof familyPlaces>>, alsoPays: boolean): SafeHtml {
  return html`<div data-testid="family-member">
  ${places.map(
    (p) => html`<div class="subscription" data-family="${p.stripeSubscriptionId}">
    ${
      p.reads
        ? html`<p data-testid="family-reads">You read every article on ${p.payerEmail ?? "someone"}'s family subscription${p.until ? `, until ${day(p.until)}` : ""}. They see your address, never what you read.</p>
    <form method="post" action="/account/family/leave"><input type="hidden" name="subscription" value="${p.stripeSubscriptionId}"><button class="button button--secondary" type="submit">Leave this family subscription</button></form>`
        : html`<p data-testid="family-ended">Your family subscription ended${p.removed ? html`: ${p.payerEmail ?? "its payer"} removed you` : ""}. Choose a plan of your own to keep reading.</p>
    <p><a class="button" href="/subscribe">See the plans</a></p>`
    }
  </div>`,
  )}
  ${alsoPays ? html`<p class="form-message" role="status" data-testid="family-also-pays">${ALSO_PAYS}</p>` : ""}
</div>`;
}

/** The payer's invite: bad input gets a field error and saves nothing. */
export async function familyInvitePostResponse(request: NextRequest): Promise<Response> {
  const posted = await readerForm(request, "/account/family");
  if (posted instanceof Response) return posted;
  const typed = String(posted.form.get("email") ?? "").slice(0, 300);
  const parsed = familyInviteSchema.safeParse({ email: posted.form.get("email") ?? undefined });
  if (!parsed.success) return familyPageResponse(request, { email: typed, error: parsed.error.issues[0]!.message });
  const invite = await createFamilyInvite(await getDb(), posted.user, parsed.data.email, new Date());
  if (!invite.ok) return familyPageResponse(request, { email: typed, error: invite.message });
  return seeOther(`/account/family?done=${(await mailFamilyInvite(invite)) ? "invited" : "unsent"}`);
}

/**
 * One button's POST on /account/family: the field it names, checked by its schema, then the
 * change; only the caller's own rows match, so anyone else's id changes nothing.
 */
function familyButtonPost<F extends string, V>(
  field: F,
  schema: z.ZodType<Record<F, V>>,
  change: (db: Db, userId: string, value: V, now: Date) => Promise<unknown>,
  done: string,
): (request: NextRequest) => Promise<Response> {
  return async (request) => {
    const posted = await readerForm(request, "/account/family");
    if (posted instanceof Response) return posted;
    const parsed = schema.safeParse({ [field]: posted.form.get(field) ?? undefined });
    if (parsed.success) await change(await getDb(), posted.user.id, parsed.data[field], new Date());
    return seeOther(parsed.success ? `/account/family?done=${done}` : "/account/family");
  };
}

export const familyRemovePostResponse = familyButtonPost("member", removeMemberSchema, removeFamilyMember, "removed");
export const familyWithdrawPostResponse = familyButtonPost("invite", withdrawInviteSchema, withdrawFamilyInvite, "withdrawn");
export const familyLeavePostResponse = familyButtonPost("subscription", leaveFamilySchema, leaveFamily, "left");

/** The invitation link's page: opening it changes nothing; the invited address, signed in and verified, presses Accept (a POST). */
async function joinPage(request: NextRequest, token: string, user: SessionUser | null, outcome?: { ok: boolean; message: string; alsoPays?: boolean }): Promise<Response> {
  const invite = await findFamilyInvite(await getDb(), token, new Date());
  const title = "Join a family subscription";
  if (!invite) {
    return readerPageResponse(request, { title, noindex: true, status: 404, user, main: html`<section class="page"><h1>${title}</h1><p>This invitation link is not one of ours: open it from the email again.</p></section>` });
  }
  const here = `/account/family/join?token=${token}`;
  const isInvited = Boolean(user?.emailVerified && user.email?.toLowerCase() === invite.email);
  const main = outcome
    ? html`<p role="${outcome.ok ? "status" : "alert"}" data-testid="family-join-outcome">${outcome.message}</p>${outcome.alsoPays ? html`<p data-testid="family-also-pays">${ALSO_PAYS}</p>` : ""}${outcome.ok ? html`<p><a class="button" href="/">Start reading</a></p>` : ""}`
    : invite.state === "used"
      ? html`<p>${user && invite.acceptedBy === user.id ? "You accepted this invitation: enjoy reading." : "This invitation was already used: it works once."}</p>`
      : invite.state === "expired"
        ? html`<p>This invitation has expired: ask ${invite.payerEmail ?? "the payer"} for a new one.</p>`
        : invite.state === "withdrawn"
          ? html`<p>This invitation was withdrawn or replaced by a newer one: use the latest email.</p>`
          : isInvited
            ? html`<form method="post" action="/account/family/join" aria-label="Accept the invitation">
  <input type="hidden" name="token" value="${token}">
  <p>${invite.payerEmail ?? "Someone"} invites you to read on their family subscription, with your own account. They will see your address, never what you read. You can leave at any time.</p>
  <button class="button" type="submit">Accept</button>
</form>`
            : html`<p>This invitation works only for the address it was sent to, once you have signed in with it by the emailed link.</p>
<p><a class="button" href="/signin?callbackUrl=${encodeURIComponent(here)}">${user ? "Sign in with the address the invitation was sent to" : "Sign in to accept"}</a></p>`;
  return readerPageResponse(request, { title, noindex: true, status: outcome && !outcome.ok ? 400 : 200, user, main: html`<section class="page"><h1>${title}</h1>${main}</section>` });
}

export async function familyJoinPageResponse(request: NextRequest): Promise<Response> {
  const token = familyTokenSchema.safeParse(request.nextUrl.searchParams.get("token"));
  const user = await readerOf(request);
  if (!token.success) {
    return readerPageResponse(request, { title: "Join a family subscription", noindex: true, status: 404, user, main: html`<section class="page"><h1>Join a family subscription</h1><p>${token.error.issues[0]!.message}</p></section>` });
  }
  return joinPage(request, token.data, user);
}

/** Accepting is a POST by the signed-in reader whose verified address the invitation names. */
export async function familyJoinPostResponse(request: NextRequest): Promise<Response> {
  const posted = await readerForm(request, "/account/family");
  if (posted instanceof Response) return posted;
  const token = acceptFamilyInviteSchema.safeParse({ token: posted.form.get("token") ?? undefined });
  if (!token.success) return seeOther("/account/family");
  const outcome = await acceptFamilyInvite(await getDb(), token.data.token, posted.user, new Date());
  return joinPage(
    request,
    token.data.token,
    posted.user,
    outcome.ok ? { ok: true, message: `Welcome: you read every article on ${outcome.payerEmail ?? "the"} family subscription, with your own account.`, alsoPays: outcome.alsoPays } : outcome,
  );
}

/** The account page's line about family plans: a place held (and whether it reads), or the link to the payer's page. */
export async function familyAccountLine(userId: string): Promise<SafeHtml> {
  const db = await getDb();
  const now = new Date();
  const [places, family, ownLive] = await Promise.all([familyPlaces(db, userId, now), payerFamily(db, userId, now), paysOwnSubscription(db, userId)]);
  const reading = places.find((p) => p.reads);
  const line = reading
    ? html`You read on ${reading.payerEmail ?? "someone"}'s family subscription.`
    : places.length > 0
      ? html`<span data-testid="family-ended">Your family subscription ended.</span> <a href="/subscribe">See the plans</a>.`
      : family
        ? html`Your family plan reads for up to ${family.accounts} accounts: invite people, or remove them.`
        : html`Read on someone's family plan, or share yours.`;
  return html`<p data-testid="family-line"><a href="/account/family">Your family subscription</a>: ${line}${reading && ownLive ? html` <span data-testid="family-also-pays">${ALSO_PAYS}</span>` : ""}</p>`;
}
