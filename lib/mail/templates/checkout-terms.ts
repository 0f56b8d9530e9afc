import { escapeHtml } from "@/lib/ui/html";
import type { OutgoingMail } from "../transport";
import { emailButton, emailLayout } from "./layout";

/** Why a checkout's terms were changed when it settled (lib/billing/checkout-terms.ts). */
export type CheckoutTermsReason = "duplicate_ends" | "duplicate_canceled" | "not_new_customer" | "offer_taken" | "trial_used";

const SENTENCES: Record<CheckoutTermsReason, (siteName: string) => string> = {
  duplicate_ends: (site) =>
    `This address already had a ${site} subscription, so the new one will not renew: you keep the days you paid for, and you will not be charged for two from now on. If you did not mean to pay twice, reply to this email and we will refund the new one.`,
  duplicate_canceled: (site) => `This address already had a ${site} subscription, so the new one has been canceled before anything was charged. Your subscription continues as before.`,
  not_new_customer: () => "The offer you checked out with is for new subscribers only, and this address has subscribed before, so its discount has been removed from your next payments.",
  offer_taken: () => "The offer you checked out with is given once per account, and this address has had it before, so its discount has been removed from your next payments.",
  trial_used: () => "A free trial is given once per account, and this address has had one, so the trial has ended and the subscription is billed from today.",
};

/** One mail per checkout whose terms changed, with every reason that applied. */
export function checkoutTermsEmail(input: { to: string; siteName: string; reasons: CheckoutTermsReason[]; addedToNext?: string | null; accountUrl: string }): OutgoingMail {
  const { to, siteName, reasons, addedToNext, accountUrl } = input;
  const lines = reasons.map((reason) => SENTENCES[reason](siteName));
  if (addedToNext) {
    const when = reasons.includes("duplicate_ends") ? "charged when this subscription ends" : "added to your next one";
    lines.push(`The ${addedToNext} the offer took off your first payment is ${when}.`);
  }
  return {
    to,
    subject: `A change to your new ${siteName} subscription`,
    html: emailLayout({
      siteName,
      preheader: lines[0] ?? "",
      bodyHtml: `${lines.map((line) => `<p style="margin:0 0 12px">${escapeHtml(line)}</p>`).join("\n")}
${emailButton(accountUrl, "Your account")}`,
      footer: `You receive this email because ${to} subscribed to ${siteName}.`,
    }),
    text: `${lines.join("\n\n")}
${accountUrl}
`,
  };
}
