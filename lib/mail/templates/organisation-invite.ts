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
