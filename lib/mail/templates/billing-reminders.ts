import { escapeHtml } from "@/lib/ui/html";
import type { OutgoingMail } from "../transport";
import { emailButton, emailLayout } from "./layout";

/** A renewal that failed: a link to update the card (the portal session is made when it is used). */
export function paymentFailedEmail(input: { to: string; siteName: string; amount: string; updateUrl: string; again: boolean }): OutgoingMail {
  const { to, siteName, amount, updateUrl, again } = input;
  const lead = again ? `We tried again to charge ${amount} for your ${siteName} subscription, and it still did not go through.` : `We could not charge ${amount} for your ${siteName} subscription.`;
  return {
    to,
    subject: again ? `Reminder: your ${siteName} payment did not go through` : `Your ${siteName} payment did not go through`,
    html: emailLayout({
      siteName,
      preheader: "Please update your card to keep reading.",
      bodyHtml: `<p style="margin:0 0 12px">${escapeHtml(lead)} Please update your card to keep your subscription.</p>
${emailButton(updateUrl, "Update your card")}`,
      footer: `You receive this email because ${to} subscribes to ${siteName}.`,
    }),
    text: `${lead}
Please update your card to keep your subscription:
${updateUrl}
`,
  };
}

/** 7 days before a trial or a discount ends: what the next payment will be, and when. */
export function renewalReminderEmail(input: { to: string; siteName: string; what: "trial" | "discount"; date: string; nextPrice: string; accountUrl: string }): OutgoingMail {
  const { to, siteName, what, date, nextPrice, accountUrl } = input;
  const lead = what === "trial" ? `Your free trial of ${siteName} ends on ${date}.` : `Your ${siteName} discount ends on ${date}.`;
  const then = `From then on your subscription costs ${nextPrice}. You can cancel any time from your account before then.`;
  return {
    to,
    subject: what === "trial" ? `Your ${siteName} trial ends on ${date}` : `Your ${siteName} discount ends on ${date}`,
    html: emailLayout({
      siteName,
      preheader: then,
      bodyHtml: `<p style="margin:0 0 12px">${escapeHtml(lead)}</p><p style="margin:0 0 12px">${escapeHtml(then)}</p>
${emailButton(accountUrl, "Your account")}`,
      footer: `You receive this email because ${to} subscribes to ${siteName}.`,
    }),
    text: `${lead}
${then}
${accountUrl}
`,
  };
}

/** Before a yearly subscription renews: the price, the day, and how to cancel (online, no sign-in needed). */
export function renewalNoticeEmail(input: { to: string; siteName: string; plan: string; price: string; on: string; cancelUrl: string; accountUrl: string }): OutgoingMail {
  const { to, siteName, plan, price, on, cancelUrl, accountUrl } = input;
  const lead = `Your ${siteName} subscription (${plan}) renews on ${on}, and ${price} will then be charged to your card.`;
  const cancel = `If you do not want it to renew, cancel before then, online and without signing in: ${cancelUrl}. You keep reading until ${on} either way.`;
  return {
    to,
    subject: `Your ${siteName} subscription renews on ${on}`,
    html: emailLayout({
      siteName,
      preheader: lead,
      bodyHtml: `<p style="margin:0 0 12px">${escapeHtml(lead)}</p><p style="margin:0 0 12px">${escapeHtml(cancel)}</p>
${emailButton(cancelUrl, "Cancel a subscription")}
<p style="margin:12px 0 0;font-size:14px;color:#464c57"><a href="${escapeHtml(accountUrl)}">Your account</a></p>`,
      footer: `You receive this email because ${to} subscribes to ${siteName}, and the law asks us to tell you before a renewal.`,
    }),
    text: `${lead}
${cancel}
${accountUrl}
`,
  };
}
