import "server-only";
import { desc, eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { consentRecords } from "@/db/schema";
import { html, type SafeHtml } from "@/lib/ui/html";

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });

/**
 * The account page's "Your data" section: the terms each subscription was bought on (its consent
 * record, as shown at Checkout: price, period, renewal, trial or discount, how to cancel, and when
 * it was agreed to), the download button, and the link to delete the account.
 */
export async function yourDataSection(db: Queryable, userId: string): Promise<SafeHtml> {
  const consents = await db
    .select({ subscription: consentRecords.stripeSubscriptionId, terms: consentRecords.termsText, version: consentRecords.termsVersion, acceptedAt: consentRecords.acceptedAt })
    .from(consentRecords)
    .where(eq(consentRecords.userId, userId))
    .orderBy(desc(consentRecords.acceptedAt))
    .limit(50);
  return html`<h2>Your data</h2>
  ${
    consents.length > 0
      ? html`<h3>What you agreed to</h3>
  ${consents.map(
    (c) => html`<div class="consent-record" data-testid="consent-record" data-consent="${c.subscription}">
    <p>On ${dateFormat.format(c.acceptedAt)} UTC, at checkout (subscription ${c.subscription}):</p>
    <blockquote>${c.terms}</blockquote>
    <p class="field-hint">Wording ${c.version}. We keep this record for three years after the subscription ends.</p>
  </div>`,
  )}`
      : ""
  }
  <form method="post" action="/account/data"><p>Everything we keep about you (account, subscriptions, invoices, newsletters, gifts, consent records, meter), as a JSON file.</p><button class="button button--secondary" type="submit">Download my data</button></form>
  <p><a href="/account/delete" data-testid="delete-account-link">Delete my account</a>: ends your subscriptions at once and erases your personal data. <a href="/privacy">Privacy and cookies</a>.</p>`;
}
