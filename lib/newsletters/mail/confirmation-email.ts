import { emailButton, emailLayout } from "@/lib/mail/templates/layout";
import type { OutgoingMail } from "@/lib/mail/transport";
import { escapeHtml } from "@/lib/ui/html";

/** The double opt-in email: its link opens a page whose button confirms (a scanner's GET changes nothing). */
export function confirmationEmail(input: { to: string; url: string; siteName: string; newsletterNames: string[]; hours: number }): OutgoingMail {
  const { to, url, siteName, newsletterNames, hours } = input;
  const lists = newsletterNames.join(", ");
  return {
    to,
    subject: `Confirm your subscription to ${newsletterNames.length === 1 ? newsletterNames[0] : `${siteName} newsletters`}`,
    html: emailLayout({
      siteName,
      preheader: `One click to start receiving ${lists}.`,
      bodyHtml: `<p style="margin:0 0 12px">Please confirm that <strong>${escapeHtml(to)}</strong> should receive <strong>${escapeHtml(lists)}</strong> from ${escapeHtml(siteName)}.</p>
${emailButton(url, "Confirm my subscription")}
<p style="margin:0 0 12px;font-size:14px;color:#464c57">The link expires in ${hours} hours. If the button does not work, paste this address into your browser:</p>
<p style="margin:0;font-size:13px;word-break:break-all"><a href="${escapeHtml(url)}" style="color:#0b4f8a">${escapeHtml(url)}</a></p>`,
      footer: "If you did not ask for this, ignore this email: nothing happens without the confirmation.",
    }),
    text: `Please confirm that ${to} should receive ${lists} from ${siteName}:

${url}

The link expires in ${hours} hours. If you did not ask for this, ignore this email.
`,
  };
}
