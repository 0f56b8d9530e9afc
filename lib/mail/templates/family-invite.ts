import { escapeHtml } from "@/lib/ui/html";
import type { OutgoingMail } from "../transport";
import { emailButton, emailLayout } from "./layout";

/** A family subscription's payer invites someone to a place: the link works once, for this address only. */
export function familyInviteEmail(input: { to: string; url: string; siteName: string; payerEmail: string; expiresInDays: number }): OutgoingMail {
  const { to, url, siteName, payerEmail, expiresInDays } = input;
  const bodyHtml = `<p style="margin:0 0 12px">Hello,</p>
<p style="margin:0 0 12px"><strong>${escapeHtml(payerEmail)}</strong> invites you to read ${escapeHtml(siteName)} on their family subscription, with your own account as <strong>${escapeHtml(to)}</strong>.</p>
${emailButton(url, "Accept the invitation")}
<p style="margin:0 0 12px;font-size:14px;color:#464c57">You will sign in with this address first. They see your address, never what you read. The link works once, only for ${escapeHtml(to)}, and expires in ${expiresInDays} days. If the button does not work, paste this address into your browser:</p>
<p style="margin:0;font-size:13px;word-break:break-all"><a href="${escapeHtml(url)}" style="color:#0b4f8a">${escapeHtml(url)}</a></p>`;
  return {
    to,
    subject: `${payerEmail} invites you to their ${siteName} family subscription`,
    html: emailLayout({ siteName, preheader: `A family subscription from ${payerEmail}`, bodyHtml, footer: "If you did not expect this invitation, ignore this email." }),
    text: `${payerEmail} invites you to read ${siteName} on their family subscription, with your own account as ${to}.

Accept the invitation (you will sign in with this address first):
${url}

They see your address, never what you read. The link works once, only for ${to}, and expires in ${expiresInDays} days.
`,
  };
}
