import { PUBLIC_FIELDS } from "@/lib/content/public-field-repeats";
import type { Channel } from "./types";

/**
 * Locked text in a public field (headline, standfirst, image alt text and credit, slug) goes to
 * every stranger, in the page and in every card made from it. The canaries skip what the open
 * part repeats, so these are read from the database, field by field (lib/content/public-field-repeats.ts),
 * and each is a leak unless an admin confirmed in the editor that the repetition is intended.
 */
export const publicFields: Channel = {
  name: "public-fields",
  checks: "locked sentences repeated in the headline, standfirst (SEO and social descriptions), image alt text and credit, and slug",
  async run(ctx) {
    for (const article of ctx.articles) {
      ctx.count("public-fields");
      for (const repeat of article.repeats) {
        if (repeat.confirmed) ctx.note(`${article.slug}: the ${PUBLIC_FIELDS[repeat.field].split(" (")[0]} repeats a locked sentence, confirmed as intended by an admin: “${repeat.sentence}”`);
        else ctx.reportRepeat(article, PUBLIC_FIELDS[repeat.field], repeat.sentence);
      }
    }
  },
};
