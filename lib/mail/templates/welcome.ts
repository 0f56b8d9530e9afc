import { escapeHtml } from "@/lib/ui/html";
import type { OutgoingMail } from "../transport";
import { emailButton, emailLayout } from "./layout";

export function welcomeEmail(input: { to: string; siteName: string; planName: string; signInUrl: string }): OutgoingMail {
  const { to, siteName, planName, signInUrl } = input;
  return {
    to,
    subject: `Welcome to ${siteName}`,
    html: emailLayout({
      siteName,
      preheader: `Your ${planName} subscription is active.`,
      bodyHtml: `<p style="margin:0 0 12px">Thank you for subscribing. Your <strong>${escapeHtml(planName)}</strong> subscription is active, and you are signed in on the browser you paid from.</p>
<p style="margin:0 0 12px">To read on another device, sign in there with <strong>${escapeHtml(to)}</strong>, or use this link once:</p>
${emailButton(signInUrl, "Sign in on another device")}
<p style="margin:0;font-size:14px;color:#464c57">Manage or cancel your subscription any time from your account page.</p>`,
      footer: `You receive this email because ${to} subscribed to ${siteName}.`,
    }),
    text: `Thank you for subscribing to ${siteName}. Your ${planName} subscription is active.

To read on another device, sign in there with ${to}, or use this link once:
${signInUrl}

Manage or cancel your subscription any time from your account page.
`,
  };
}
