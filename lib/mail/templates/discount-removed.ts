import { escapeHtml } from "@/lib/ui/html";
import type { OutgoingMail } from "../transport";
import { emailButton, emailLayout } from "./layout";

/** A plan-restricted discount was removed because the subscription moved to a plan outside its list. */
export function discountRemovedEmail(input: { to: string; siteName: string; offerName: string; planName: string; eligiblePlans: string[]; accountUrl: string }): OutgoingMail {
  const { to, siteName, offerName, planName, eligiblePlans, accountUrl } = input;
  const only = eligiblePlans.length > 0 ? ` applies to ${eligiblePlans.join(", ")} only` : " does not apply to your new plan";
  const lead = `Your discount "${offerName}"${only}, so it has been removed now that your subscription is on ${planName}. Your next payments are at ${planName}'s regular price. Switching back does not bring the discount back.`;
  return {
    to,
    subject: `Your ${siteName} discount has ended with your plan change`,
    html: emailLayout({
      siteName,
      preheader: lead,
      bodyHtml: `<p style="margin:0 0 12px">${escapeHtml(lead)}</p>
${emailButton(accountUrl, "Your account")}`,
      footer: `You receive this email because ${to} subscribes to ${siteName}.`,
    }),
    text: `${lead}
${accountUrl}
`,
  };
}
