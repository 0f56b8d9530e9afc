import { escapeHtml } from "@/lib/ui/html";
import type { OutgoingMail } from "../transport";
import { emailButton, emailLayout } from "./layout";

/** One subscription the address may cancel, with its own one-time link. */
export interface CancelLinkLine {
  plan: string;
  /** "renews on December 15, 2026", or what the subscription does instead. */
  renewal: string;
  url: string;
  /** Within the 14 days after purchase (EU withdrawal on): a one-time link to withdraw instead. */
  withdrawUrl?: string | null;
}

/** The links asked for on /cancel: one per subscription of the address, each used once. */
export function cancelLinkEmail(input: { to: string; siteName: string; links: CancelLinkLine[]; validHours: number }): OutgoingMail {
  const { to, siteName, links, validHours } = input;
  const lead = `Someone asked to cancel a ${siteName} subscription of ${to}. If it was you, open the link below and press the button: nothing is cancelled until you do.`;
  const expiry = `Each link works once, for ${validHours} hours. If you did not ask, ignore this email: nothing changes.`;
  return {
    to,
    subject: `Cancel your ${siteName} subscription`,
    html: emailLayout({
      siteName,
      preheader: "Your link to cancel, as you asked.",
      bodyHtml: `<p style="margin:0 0 12px">${escapeHtml(lead)}</p>
${links
  .map(
    (l) =>
      `<p style="margin:16px 0 0"><strong>${escapeHtml(l.plan)}</strong>, ${escapeHtml(l.renewal)}</p>${emailButton(l.url, `Cancel ${l.plan}`)}${
        l.withdrawUrl ? `<p style="margin:0 0 12px">Or, within 14 days of buying it, <a href="${escapeHtml(l.withdrawUrl)}">withdraw from contract here</a>: it ends at once and you are refunded.</p>` : ""
      }`,
  )
  .join("\n")}
<p style="margin:0 0 12px">${escapeHtml(expiry)}</p>`,
      footer: `You receive this email because cancelling was asked for ${to} on ${siteName}.`,
    }),
    text: `${lead}

${links.map((l) => `${l.plan}, ${l.renewal}:\n${l.url}${l.withdrawUrl ? `\nOr withdraw from contract here (within 14 days of buying; ends at once, refunded):\n${l.withdrawUrl}` : ""}`).join("\n\n")}

${expiry}
`,
  };
}

/** Sent at once when a cancel is recorded: what was cancelled, when, and until when it reads. */
export function cancelReceiptEmail(input: { to: string; siteName: string; plan: string; requestedAt: string; accessUntil: string | null; accountUrl: string }): OutgoingMail {
  const { to, siteName, plan, requestedAt, accessUntil, accountUrl } = input;
  const lead = `Your ${siteName} subscription (${plan}) is cancelled. We received your cancellation on ${requestedAt}.`;
  const then = accessUntil
    ? `It will not renew: nothing more will be charged. You keep full access until ${accessUntil}.`
    : "It will not renew: nothing more will be charged.";
  return {
    to,
    subject: `Your ${siteName} subscription is cancelled`,
    html: emailLayout({
      siteName,
      preheader: then,
      bodyHtml: `<p style="margin:0 0 12px">${escapeHtml(lead)}</p><p style="margin:0 0 12px">${escapeHtml(then)}</p>
${emailButton(accountUrl, "Your account")}`,
      footer: `You receive this email because ${to} cancelled a subscription to ${siteName}. Keep it as your receipt.`,
    }),
    text: `${lead}
${then}
${accountUrl}
`,
  };
}

/** Sent at once when a withdrawal is recorded: what ended, when, and what is refunded. */
export function withdrawalReceiptEmail(input: { to: string; siteName: string; plan: string; requestedAt: string; refund: string | null; refundWhy: string | null; accountUrl: string }): OutgoingMail {
  const { to, siteName, plan, requestedAt, refund, refundWhy, accountUrl } = input;
  const lead = `You have withdrawn from your ${siteName} subscription (${plan}). We received your withdrawal on ${requestedAt}; the subscription has ended and nothing more will be charged.`;
  const money = refund ? `We refund ${refund} to the card you paid with${refundWhy ? ` (${refundWhy})` : ""}. It usually shows within 5 to 10 days.` : "Nothing was charged, so there is nothing to refund.";
  return {
    to,
    subject: `You have withdrawn from your ${siteName} subscription`,
    html: emailLayout({
      siteName,
      preheader: money,
      bodyHtml: `<p style="margin:0 0 12px">${escapeHtml(lead)}</p><p style="margin:0 0 12px">${escapeHtml(money)}</p>
${emailButton(accountUrl, "Your account")}`,
      footer: `You receive this email because ${to} withdrew from a subscription to ${siteName}. Keep it as your receipt.`,
    }),
    text: `${lead}
${money}
${accountUrl}
`,
  };
}
