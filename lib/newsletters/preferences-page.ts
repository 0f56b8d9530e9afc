import { simplePage } from "@/lib/http/html-response";
import { html } from "@/lib/ui/html";
import type { NewsletterChoice } from "./subscriptions";

/**
 * The signed preferences page (no sign-in needed): every list offered to the recipient with a
 * checkbox, Save, and "Unsubscribe from all". Both buttons POST to the same signed address.
 */
export function preferencesPage(input: { action: string; email: string; choices: NewsletterChoice[]; saved?: string }): Response {
  const { action, email, choices, saved } = input;
  return simplePage(
    200,
    "Your newsletters",
    html`<h1>Your newsletters</h1>
<p>Newsletters for <strong>${email}</strong>.</p>
${saved ? html`<p class="form-message" role="status" data-newsletter-result="saved">${saved}</p>` : ""}
<form method="post" action="${action}" data-newsletter-preferences>
  <fieldset><legend>Send me</legend>
  ${choices.length === 0 ? html`<p>There are no newsletters to choose from just now.</p>` : ""}
  ${choices.map(
    ({ newsletter, subscribed }) =>
      html`<p><label><input type="checkbox" name="newsletter" value="${newsletter.id}"${subscribed ? html` checked` : ""}> ${newsletter.name}</label>${newsletter.description ? html`<br><span class="field-hint">${newsletter.description}</span>` : ""}</p>`,
  )}
  </fieldset>
  <div class="actions">
    <button class="button" type="submit" name="intent" value="save">Save my choices</button>
    <button class="button button--secondary" type="submit" name="intent" value="unsubscribe-all">Unsubscribe from all</button>
  </div>
</form>`,
  );
}
