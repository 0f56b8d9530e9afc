const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** A time as admins read it everywhere in the console: always UTC, said so. */
export function formatUtc(date: Date | null): string {
  return date ? `${dateTime.format(date)} UTC` : "—";
}
