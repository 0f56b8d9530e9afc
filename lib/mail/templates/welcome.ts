import { escapeHtml } from "@/lib/ui/html";
import type { OutgoingMail } from "../transport";
import { emailButton, emailLayout } from "./layout";

/**
 * After a checkout. `signedInHere`: the paying browser was signed in (the checkout created the
 * account); otherwise the account existed, so the link is the only way in.
 */
export function welcomeEmail(input: { to: string; siteName: string; planName: string; signInUrl: string; signedInHere: boolean; withdrawUrl?: string | null }): OutgoingMail {
  const { to, siteName, planName, signInUrl, signedInHere, withdrawUrl } = input;
  // The EU withdrawal function, where this deployment offers it: 14 days from today.
  const withdraw = withdrawUrl ? "Changed your mind? For 14 days from today you can withdraw from the contract and get your money back:" : null;
  const where = signedInHere ? "you are signed in on the browser you paid from" : `sign in with ${to} to start reading`;
  const button = signedInHere ? "Sign in on another device" : "Sign in and read";
  const how = signedInHere ? `To read on another device, sign in there with ${to}, or use this link once:` : "Use this link once to sign in:";
  return {
    to,
    subject: `Welcome to ${siteName}`,
    html: emailLayout({
      siteName,
      preheader: `Your ${planName} subscription is active.`,
      bodyHtml: `<p style="margin:0 0 12px">Thank you for subscribing. Your <strong>${escapeHtml(planName)}</strong> subscription is active, and ${escapeHtml(where)}.</p>
<p style="margin:0 0 12px">${escapeHtml(how)}</p>
${emailButton(signInUrl, button)}
<p style="margin:0;font-size:14px;color:#464c57">Manage or cancel your subscription any time from your account page.</p>${
        withdraw && withdrawUrl ? `\n<p style="margin:12px 0 0;font-size:14px;color:#464c57">${escapeHtml(withdraw)} <a href="${escapeHtml(withdrawUrl)}">Withdraw from contract here</a>.</p>` : ""
      }`,
      footer: `You receive this email because ${to} subscribed to ${siteName}.`,
    }),
    text: `Thank you for subscribing to ${siteName}.
Your ${planName} subscription is active, and ${where}.
${how}
${signInUrl}

Manage or cancel your subscription any time from your account page.
${withdraw && withdrawUrl ? `\n${withdraw}\nWithdraw from contract here: ${withdrawUrl}\n` : ""}`,
  };
}
