import { escapeHtml } from "@/lib/ui/html";
import type { OutgoingMail } from "../transport";
import { emailLayout } from "./layout";

/**
 * Sent once when an account is deleted, to the address it had (recorded in the outbox before the
 * address is erased): what ended, any refund, and what is kept for bookkeeping.
 */
export function accountDeletedEmail(input: { to: string; siteName: string; deletedAt: string; ended: string[]; byAdmin: boolean }): OutgoingMail {
  const { to, siteName, deletedAt, ended, byAdmin } = input;
  const lead = byAdmin
    ? `As you asked us, your ${siteName} account (${to}) was deleted on ${deletedAt}.`
    : `Your ${siteName} account (${to}) was deleted on ${deletedAt}, as you asked.`;
  const subs = ended.length > 0 ? ended : ["You had no subscription to end."];
  const erased =
    "Your name, email address, sign-ins, newsletters and reading meter are erased, and you are signed out on every device. " +
    "We keep your invoices and the terms you agreed to at checkout, as bookkeeping law requires, attached to no name or address. " +
    "This email is the last we send to this address.";
  const again = `Signing in again with this address starts a new, empty account.`;
  return {
    to,
    subject: `Your ${siteName} account is deleted`,
    html: emailLayout({
      siteName,
      preheader: "Your account is deleted, as you asked.",
      bodyHtml: `<p style="margin:0 0 12px">${escapeHtml(lead)}</p>
${subs.map((line) => `<p style="margin:0 0 12px">${escapeHtml(line)}</p>`).join("\n")}
<p style="margin:0 0 12px">${escapeHtml(erased)}</p>
<p style="margin:0 0 12px">${escapeHtml(again)}</p>`,
      footer: `You receive this email because the ${siteName} account of ${to} was deleted.`,
    }),
    text: `${lead}

${subs.join("\n")}

${erased}

${again}
`,
  };
}
