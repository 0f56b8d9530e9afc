import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { newsletterSettings } from "@/db/schema";

export interface NewsletterSettings {
  blockedDomains: string[];
  messagesPerSecond: number;
}

const DEFAULTS: NewsletterSettings = { blockedDomains: [], messagesPerSecond: 20 };

/** The sign-up guard and sending pace (migration 0007 writes the row; defaults if it is gone). */
export async function loadNewsletterSettings(db: Db): Promise<NewsletterSettings> {
  const [row] = await db.select().from(newsletterSettings).where(eq(newsletterSettings.id, 1));
  return row ? { blockedDomains: row.blockedDomains, messagesPerSecond: row.messagesPerSecond } : DEFAULTS;
}

/** Whether an address's domain, or any domain above it, is on the blocked list. */
export function isBlockedAddress(email: string, blockedDomains: readonly string[]): boolean {
  const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  return blockedDomains.some((blocked) => domain === blocked || domain.endsWith(`.${blocked}`));
}
