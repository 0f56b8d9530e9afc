import { escapeHtml } from "@/lib/ui/html";
import type { OutgoingMail } from "../transport";
import { emailButton, emailLayout } from "./layout";

/** The magic-link email: the link opens a confirmation page, so a mail scanner cannot use it up. */
export function signInEmail(input: { to: string; url: string; siteName: string; expiresInMinutes: number }): OutgoingMail {
  const { to, url, siteName, expiresInMinutes } = input;
  const bodyHtml = `<p style="margin:0 0 12px">Hello,</p>
<p style="margin:0 0 12px">Use the button below to sign in to ${escapeHtml(siteName)} as <strong>${escapeHtml(to)}</strong>.</p>
${emailButton(url, "Sign in")}
<p style="margin:0 0 12px;font-size:14px;color:#464c57">The link works once and expires in ${expiresInMinutes} minutes. If the button does not work, paste this address into your browser:</p>
<p style="margin:0;font-size:13px;word-break:break-all"><a href="${escapeHtml(url)}" style="color:#0b4f8a">${escapeHtml(url)}</a></p>`;
  return {
    to,
    subject: `Sign in to ${siteName}`,
    html: emailLayout({
      siteName,
      preheader: `Your sign-in link for ${siteName}`,
      bodyHtml,
      footer: "If you did not ask to sign in, ignore this email: nobody can sign in without the link.",
    }),
    text: `Sign in to ${siteName} as ${to}:

${url}

The link works once and expires in ${expiresInMinutes} minutes.
If you did not ask to sign in, ignore this email.
`,
  };
}
