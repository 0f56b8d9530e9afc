import { getDb } from "@/db/client";
import { newsletterChoices } from "@/lib/newsletters/subscriptions";
import { saveNewsletterPreferences } from "./newsletter-actions";

/** The account page's newsletter choices: the same lists as the signed preferences page. */
export async function NewsletterPreferences({ userId }: { userId: string }) {
  const choices = await newsletterChoices(await getDb(), userId);
  if (choices.length === 0) return null;
  return (
    <>
      <h2>Newsletters</h2>
      <form action={saveNewsletterPreferences} data-testid="newsletter-preferences">
        {choices.map(({ newsletter, subscribed }) => (
          <p key={newsletter.id}>
            <label>
              <input type="checkbox" name="newsletter" value={newsletter.id} defaultChecked={subscribed} /> {newsletter.name}
            </label>
            {newsletter.description && (
              <>
                <br />
                <span className="field-hint">{newsletter.description}</span>
              </>
            )}
          </p>
        ))}
        <div className="actions">
          <button className="button" type="submit" name="intent" value="save">
            Save my newsletters
          </button>
          <button className="button button--secondary" type="submit" name="intent" value="unsubscribe-all">
            Unsubscribe from all
          </button>
        </div>
      </form>
    </>
  );
}
