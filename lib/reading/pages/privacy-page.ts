import "server-only";
import type { NextRequest } from "next/server";
import { env } from "@/lib/env";
import { SITE_COOKIES } from "@/lib/privacy/cookies";
import { html } from "@/lib/ui/html";
import { scrollingTable } from "@/lib/ui/table";
import { readerPageResponse } from "./reader-page";

/**
 * /privacy: what we keep, your rights, and every cookie this site sets (lib/privacy/cookies.ts,
 * checked against the code by tests/unit/privacy/cookies.test.ts). Linked from every page's footer.
 */
export async function privacyPageResponse(request: NextRequest): Promise<Response> {
  const { SITE_NAME } = env();
  return readerPageResponse(request, {
    title: "Privacy and cookies",
    main: html`<section class="page">
  <h1>Privacy and cookies</h1>
  <h2>What we keep</h2>
  <p>When you register or subscribe, ${SITE_NAME} keeps your email address (and a name, if a sign-in provider gave one), your subscriptions and invoices, the terms you agreed to at checkout, your newsletter choices, the gift links you gave, and how many free articles you have read this month. Payments are handled by Stripe; we never see your card number.</p>
  <h2>Your rights</h2>
  <ul>
    <li><strong>See and take your data</strong>: "Download my data" on <a href="/account">your account page</a> gives you everything above as a file.</li>
    <li><strong>Delete your account</strong>: <a href="/account/delete">delete your account</a> ends your subscriptions at once (within 14 days of buying, as a withdrawal with a refund) and erases your personal data. We keep invoices and consent records, attached to no name or address, as bookkeeping law requires: consent records for three years after the subscription ends.</li>
    <li><strong>Cancel</strong> a subscription at any time, without signing in: <a href="/cancel">cancel a subscription</a>.</li>
    <li>Cannot sign in? Write to us and we delete the account for you.</li>
  </ul>
  <h2>Cookies</h2>
  <p>We set no advertising or tracking cookies, and no cookie of another company: every cookie below is our own, is sent only to this site, and follows you nowhere else. The strictly necessary ones are needed for the service you asked for (signing in, your free articles, paying); they need no consent.</p>
  ${scrollingTable(
    "table",
    ["Cookie", "Kind", "What it is for", "How long"],
    SITE_COOKIES.map((c) => html`<tr data-cookie="${c.names[0]}"><td>${c.names.map((name, i) => html`${i > 0 ? html`<br>` : ""}<code>${name}</code>`)}</td><td>${c.kind}</td><td>${c.purpose}</td><td>${c.lifetime}</td></tr>`),
  )}
</section>`,
  });
}
