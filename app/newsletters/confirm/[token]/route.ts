import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { confirmSignup } from "@/lib/newsletters/confirm";
import { badLinkPage, buttonPage, messagePage, tokenFrom } from "@/lib/newsletters/public-pages";
import { newsletterLinks, readConfirmationToken } from "@/lib/newsletters/signed-links";
import { html } from "@/lib/ui/html";

type Context = { params: Promise<{ token: string }> };

const expiredPage = () =>
  messagePage(410, "This link has expired", html`<p data-newsletter-result="expired">Confirmation links work for 24 hours. Sign up again from the end of any article and we will send a new one.</p>`);

// Opening the link only shows the button (mail scanners open links); the POST confirms.
export async function GET(_request: NextRequest, context: Context) {
  const token = tokenFrom((await context.params).token);
  const check = readConfirmationToken(token);
  if (!check.ok) return check.reason === "expired" ? expiredPage() : badLinkPage();
  return buttonPage("Confirm your subscription", html`Confirm the newsletter for <strong>${check.confirmation.email}</strong>.`, `/newsletters/confirm/${token}`, "Confirm my subscription");
}

export async function POST(_request: NextRequest, context: Context) {
  const result = await confirmSignup(await getDb(), tokenFrom((await context.params).token));
  if (!result.ok) return result.reason === "expired" ? expiredPage() : badLinkPage();
  return messagePage(
    200,
    "You are subscribed",
    html`<p data-newsletter-result="confirmed">Thank you: you will receive ${result.newsletterNames.join(", ") || "our newsletter"}.</p>
<p><a href="${newsletterLinks.preferences(result.userId)}">Manage your newsletters</a></p>`,
  );
}
