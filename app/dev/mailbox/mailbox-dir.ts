import path from "node:path";
import { env } from "@/lib/env";

/** The folder the development mail sink writes to (tools/smtp-sink). */
export function mailboxDir(): string {
  return path.resolve(process.env.MAILBOX_DIR ?? path.join(env().DATA_DIR, "mailbox"));
}

const timeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium" });

export function formatReceivedAt(iso: string): string {
  return timeFormat.format(new Date(iso));
}
