import { escapeHtml } from "@/lib/ui/html";
import type { OutgoingMail } from "../transport";
import { emailButton, emailLayout } from "./layout";

/** A manager's invitation to read under an organisation's licence: the link works once, for this address only. */
export function organisationInviteEmail(input: { to: string; url: string; siteName: string; organisationName: string; expiresInDays: number }): OutgoingMail {
  const { to, url, siteName, organisationName, expiresInDays } = input;
  const bodyHtml = `<p style="margin:0 0 12px">Hello,</p>
<p style="margin:0 0 12px"><strong>${escapeHtml(organisationName)}</strong> invites you to read ${escapeHtml(siteName)} under its licence, as <strong>${escapeHtml(to)}</strong>.</p>
${emailButton(url, "Accept the invitation")}
<p style="margin:0 0 12px;font-size:14px;color:#464c57">You will sign in with this address first. The link works once, only for ${escapeHtml(to)}, and expires in ${expiresInDays} days. If the button does not work, paste this address into your browser:</p>
<p style="margin:0;font-size:13px;word-break:break-all"><a href="${escapeHtml(url)}" style="color:#0b4f8a">${escapeHtml(url)}</a></p>`;
  return {
    to,
    subject: `${organisationName} invites you to read ${siteName}`,
    html: emailLayout({ siteName, preheader: `An invitation from ${organisationName}`, bodyHtml, footer: "If you did not expect this invitation, ignore this email." }),
    text: `${organisationName} invites you to read ${siteName} under its licence, as ${to}.

Accept the invitation (you will sign in with this address first):
${url}

The link works once, only for ${to}, and expires in ${expiresInDays} days.
`,
  };
}

/** The organisation's managers and the publisher: its seats used reached 90 % or all of those sold. */
export function organisationSeatsEmail(input: { to: string; siteName: string; organisationName: string; used: number; seats: number; level: 90 | 100; orgUrl: string }): OutgoingMail {
  const { to, siteName, organisationName, used, seats, level, orgUrl } = input;
  const what = level === 100 ? "every seat is taken" : "90 % of its seats are taken";
  const next =
    level === 100
      ? "Nobody else can join until a member is removed or more seats are bought: ask the publisher to add seats."
      : "When every seat is taken nobody else can join: ask the publisher to add seats in time.";
  const bodyHtml = `<p style="margin:0 0 12px"><strong>${escapeHtml(organisationName)}</strong>: ${what} (${used} of ${seats}) on its licence to read ${escapeHtml(siteName)}.</p>
<p style="margin:0 0 12px">${escapeHtml(next)}</p>
${emailButton(orgUrl, "See the members")}`;
  return {
    to,
    subject: `${organisationName}: ${used} of ${seats} seats taken`,
    html: emailLayout({ siteName, preheader: `${used} of ${seats} seats taken`, bodyHtml, footer: "You receive this email because you manage this organisation's licence, or publish the site." }),
    text: `${organisationName}: ${what} (${used} of ${seats}) on its licence to read ${siteName}.

${next}

See the members: ${orgUrl}
`,
  };
}
