import "server-only";
import type { Newsletter } from "@/db/schema";
import { ttlCache } from "@/lib/cache/ttl-cache";
import { html, type SafeHtml } from "@/lib/ui/html";
import { getPublicNewsletters } from "./catalog";

export const SIGNUP_ACTION = "/newsletters/signup";

/**
 * "Sign up now": a plain HTML form (no JavaScript) posting to /newsletters/signup. The honeypot
 * field is off-screen and out of the tab order; people never fill it, bots that fill every
 * field do. `again` refills the form after a mistake.
 */
export function signupForm(newsletters: Newsletter[], again?: { email: string; error: string }): SafeHtml {
  if (newsletters.length === 0) return html``;
  const single = newsletters.length === 1 ? newsletters[0]! : null;
  return html`<aside class="newsletter-signup" aria-labelledby="newsletter-signup-heading" data-newsletter-signup>
  <h2 id="newsletter-signup-heading" class="newsletter-signup__heading">Sign up now</h2>
  <p class="newsletter-signup__lede">${single ? html`<strong>${single.name}</strong>: ${single.description || "our newsletter, free by email."}` : "Our newsletters, free by email. Choose yours:"}</p>
  ${again ? html`<p class="form-message form-message--error" role="alert" id="newsletter-signup-error">${again.error}</p>` : ""}
  <form method="post" action="${SIGNUP_ACTION}" class="newsletter-signup__form">
    <div class="field">
      <label for="newsletter-email">Email address</label>
      <input id="newsletter-email" name="email" type="email" autocomplete="email" required maxlength="320" value="${again?.email ?? ""}"${again ? html` aria-invalid="true" aria-describedby="newsletter-signup-error"` : ""}>
    </div>
    ${
      single
        ? html`<input type="hidden" name="newsletter" value="${single.id}">`
        : html`<fieldset class="newsletter-signup__lists"><legend>Newsletters</legend>${newsletters.map(
            (n) => html`<label class="newsletter-signup__list"><input type="checkbox" name="newsletter" value="${n.id}"${n.subscribeOnSignup ? html` checked` : ""}> ${n.name}${n.description ? html` <span class="field-hint">${n.description}</span>` : ""}</label>`,
          )}</fieldset>`
    }
    <div aria-hidden="true" style="position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden"><label for="newsletter-website">Leave this empty</label><input id="newsletter-website" name="website" type="text" tabindex="-1" autocomplete="off"></div>
    <button class="button" type="submit">Sign up</button>
  </form>
  <p class="field-hint">We will email you a link to confirm. Unsubscribe with one click from any issue.</p>
</aside>`;
}

// The article page adds this to every response: rendered once, kept until a newsletter changes.
const markup = ttlCache<"form", string>("newsletter-signup-form", { forgetOn: { newsletters: true } });

/** The form's markup for the public newsletters, from memory (no database query on a hit). */
export function getSignupFormMarkup(): Promise<string> {
  return markup.get("form", async () => signupForm(await getPublicNewsletters()).value);
}
