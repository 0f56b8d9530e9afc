import { escapeHtml } from "@/lib/ui/html";
import type { OutgoingMail } from "../transport";
import { emailButton, emailLayout } from "./layout";

interface GiftFacts {
  siteName: string;
  planName: string;
  months: number;
  recipientEmail: string;
}

const length = (months: number) => `${months} ${months === 1 ? "month" : "months"}`;
const p = (text: string) => `<p style="margin:0 0 12px">${text}</p>`;

/** The buyer's receipt: what was paid, for whom, and when it will be delivered. */
export function giftReceiptEmail(input: GiftFacts & { to: string; paid: string; deliverOn: string; giftId: number }): OutgoingMail {
  const { paid } = input;
  const what = `${length(input.months)} of ${input.planName}`;
  const bodyHtml = [
    p(`Thank you: you paid <strong>${escapeHtml(paid)}</strong> for a gift subscription, ${escapeHtml(what)}, for <strong>${escapeHtml(input.recipientEmail)}</strong>.`),
    p(`We will email them a redeem link on ${escapeHtml(input.deliverOn)}. It does not renew: nothing more will be charged. We will tell you when they redeem it.`),
    p(`<span style="font-size:14px;color:#464c57">Gift subscription #${input.giftId}.</span>`),
  ].join("\n");
  return {
    to: input.to,
    subject: `Your gift receipt: ${what} of ${input.siteName}`,
    html: emailLayout({ siteName: input.siteName, preheader: `Receipt: ${paid}`, bodyHtml, footer: "You receive this email because you bought a gift subscription." }),
    text: `Thank you: you paid ${paid} for a gift subscription, ${what}, for ${input.recipientEmail}.

We will email them a redeem link on ${input.deliverOn}. It does not renew: nothing more will be charged. We will tell you when they redeem it.

Gift subscription #${input.giftId}.
`,
  };
}

/** The recipient's gift: the buyer's message and the one-time redeem link. */
export function giftDeliveryEmail(input: GiftFacts & { buyerName: string; message: string; url: string }): OutgoingMail {
  const what = `${length(input.months)} of ${input.planName}`;
  const message = input.message
    ? `<blockquote style="margin:0 0 12px;padding:8px 12px;border-left:3px solid #d0d4da;white-space:pre-wrap">${escapeHtml(input.message)}</blockquote>`
    : "";
  const bodyHtml = [
    p(`${escapeHtml(input.buyerName)} gave you a gift subscription to ${escapeHtml(input.siteName)}: <strong>${escapeHtml(what)}</strong>.`),
    message,
    emailButton(input.url, "Redeem your gift"),
    `<p style="margin:0 0 12px;font-size:14px;color:#464c57">You will sign in with ${escapeHtml(input.recipientEmail)} first. The link works once, only for this address. The months start when you redeem (after any subscription you already pay for), and nothing renews. If the button does not work, paste this address into your browser:</p>`,
    `<p style="margin:0;font-size:13px;word-break:break-all"><a href="${escapeHtml(input.url)}" style="color:#0b4f8a">${escapeHtml(input.url)}</a></p>`,
  ].join("\n");
  return {
    to: input.recipientEmail,
    subject: `A gift for you: ${what} of ${input.siteName}`,
    html: emailLayout({ siteName: input.siteName, preheader: `${input.buyerName} gave you ${what}`, bodyHtml, footer: "If you did not expect this gift, you can ignore this email." }),
    text: `${input.buyerName} gave you a gift subscription to ${input.siteName}: ${what}.
${input.message ? `\n${input.message}\n` : ""}
Redeem your gift (you will sign in with ${input.recipientEmail} first):
${input.url}

The link works once, only for this address. The months start when you redeem (after any subscription you already pay for), and nothing renews.
`,
  };
}

/** The buyer is told the gift was redeemed, and until when it runs (not what the recipient reads). */
export function giftRedeemedEmail(input: GiftFacts & { to: string; endsOn: string }): OutgoingMail {
  const what = `${length(input.months)} of ${input.planName}`;
  return {
    to: input.to,
    subject: `Your gift was redeemed: ${what} of ${input.siteName}`,
    html: emailLayout({
      siteName: input.siteName,
      preheader: "Your gift was redeemed",
      bodyHtml: p(`${escapeHtml(input.recipientEmail)} redeemed your gift subscription (${escapeHtml(what)}). It runs until ${escapeHtml(input.endsOn)}.`),
      footer: "You receive this email because you bought a gift subscription.",
    }),
    text: `${input.recipientEmail} redeemed your gift subscription (${what}). It runs until ${input.endsOn}.\n`,
  };
}

/** The recipient, a week before their gift's months end: one offer to subscribe (nothing renews by itself). */
export function giftEndingEmail(input: GiftFacts & { endsOn: string; subscribeUrl: string }): OutgoingMail {
  const what = `${length(input.months)} of ${input.planName}`;
  const bodyHtml = [
    p(`Your gift subscription to ${escapeHtml(input.siteName)} (${escapeHtml(what)}) ends on <strong>${escapeHtml(input.endsOn)}</strong>. It does not renew, and nothing will be charged.`),
    p("To keep reading every article after that day, subscribe:"),
    emailButton(input.subscribeUrl, "Subscribe"),
  ].join("\n");
  return {
    to: input.recipientEmail,
    subject: `Your gift subscription ends on ${input.endsOn}`,
    html: emailLayout({ siteName: input.siteName, preheader: `Your gift ends on ${input.endsOn}`, bodyHtml, footer: "You receive this email once, because you redeemed a gift subscription." }),
    text: `Your gift subscription to ${input.siteName} (${what}) ends on ${input.endsOn}. It does not renew, and nothing will be charged.

To keep reading every article after that day, subscribe:
${input.subscribeUrl}
`,
  };
}
