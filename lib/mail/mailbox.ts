/**
 * Reader of the development mail sink's folder (tools/smtp-sink): one JSON file per message,
 * named `<id>.json`. Framework-free, for the /dev/mailbox pages and for tests.
 *
 * Nothing here throws on bad data: a file that is not valid JSON or does not match the schema
 * is skipped, and an id the sink could not have generated is treated as unknown (it never
 * reaches the file system, so `../` and friends are harmless).
 */
import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/** `<13-digit epoch milliseconds>-<16 hex digits>`: sorts by arrival, unique across processes. */
export const mailboxIdSchema = z.string().regex(/^\d{13}-[0-9a-f]{16}$/, "not a mailbox message id");
export type MailboxId = z.infer<typeof mailboxIdSchema>;

/** The stored JSON of one message. */
export const mailboxMessageSchema = z.object({
  id: mailboxIdSchema,
  receivedAt: z.iso.datetime(),
  /** The From header as text (`Name <address>`), or the envelope sender when it has none. */
  from: z.string(),
  /** The envelope recipients (RCPT TO): everyone the message was delivered to, Bcc included. */
  to: z.array(z.string()),
  subject: z.string(),
  text: z.string().nullable(),
  html: z.string().nullable(),
});
export type MailboxMessage = z.infer<typeof mailboxMessageSchema>;

const FILE_SUFFIX = ".json";

export function isMailboxId(value: unknown): value is MailboxId {
  return mailboxIdSchema.safeParse(value).success;
}

export function mailboxFileName(id: MailboxId): string {
  return `${id}${FILE_SUFFIX}`;
}

let lastIdTime = 0;

/**
 * A fresh id. The time part never goes backwards within a process (two messages in the same
 * millisecond get consecutive values), so sorting ids sorts messages by arrival.
 */
export function newMailboxId(now: number = Date.now()): MailboxId {
  lastIdTime = Math.max(now, lastIdTime + 1);
  return `${String(lastIdTime).padStart(13, "0")}-${randomBytes(8).toString("hex")}`;
}

/** The ids of the stored messages, newest first. A missing folder is an empty mailbox. */
export async function listMailboxIds(dir: string): Promise<MailboxId[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  return names
    .filter((name) => name.endsWith(FILE_SUFFIX))
    .map((name) => name.slice(0, -FILE_SUFFIX.length))
    .filter(isMailboxId)
    .sort()
    .reverse();
}

/** One message by id, or null when the id is invalid, unknown, or its file is malformed. */
export async function readMailboxMessage(dir: string, id: string): Promise<MailboxMessage | null> {
  const valid = mailboxIdSchema.safeParse(id);
  if (!valid.success) return null;
  let raw: string;
  try {
    raw = await readFile(path.join(dir, mailboxFileName(valid.data)), "utf8");
  } catch {
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = mailboxMessageSchema.safeParse(json);
  if (!parsed.success || parsed.data.id !== valid.data) return null;
  return parsed.data;
}

export interface ListMailboxOptions {
  /** Only messages delivered to this address (case-insensitive). */
  to?: string;
  /** At most this many messages. */
  limit?: number;
}

/** The stored messages, newest first; malformed files are skipped. */
export async function listMailboxMessages(dir: string, options: ListMailboxOptions = {}): Promise<MailboxMessage[]> {
  const to = options.to?.trim().toLowerCase();
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const messages: MailboxMessage[] = [];
  if (limit <= 0) return messages;
  for (const id of await listMailboxIds(dir)) {
    const message = await readMailboxMessage(dir, id);
    if (!message) continue;
    if (to && !message.to.some((address) => address.toLowerCase() === to)) continue;
    messages.push(message);
    if (messages.length >= limit) break;
  }
  return messages;
}

/**
 * The http(s) links in a message (text part, then the HTML part's hrefs), in order, without
 * duplicates: for tests that follow a sign-in link, and for the mailbox page, whose sandboxed
 * HTML preview cannot open them.
 */
export function messageLinks(message: Pick<MailboxMessage, "text" | "html">): string[] {
  const found: string[] = [];
  for (const match of (message.text ?? "").matchAll(/https?:\/\/[^\s<>"')\]]+/g)) found.push(match[0]);
  for (const match of (message.html ?? "").matchAll(/\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
    const href = decodeHtmlAttribute((match[1] ?? match[2] ?? "").trim());
    if (/^https?:\/\//i.test(href)) found.push(href);
  }
  return [...new Set(found)];
}

function decodeHtmlAttribute(value: string): string {
  return value
    .replace(/&#(\d+);/g, (entity, code: string) => codePoint(Number(code)) ?? entity)
    .replace(/&#x([0-9a-f]+);/gi, (entity, code: string) => codePoint(parseInt(code, 16)) ?? entity)
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

export interface WaitForMessageOptions {
  /** Delivered to this address (case-insensitive). */
  to: string;
  /** And with a subject matching this. */
  subject?: RegExp;
  /** And received at or after this time. */
  after?: Date;
  timeoutMs: number;
  /** How often to look; 50 ms unless told. */
  intervalMs?: number;
}

/** Polls the mailbox until a matching message arrives (newest match wins); throws on timeout. */
export async function waitForMessage(dir: string, options: WaitForMessageOptions): Promise<MailboxMessage> {
  const deadline = Date.now() + options.timeoutMs;
  const after = options.after?.getTime();
  const matches = (message: MailboxMessage): boolean =>
    (after === undefined || Date.parse(message.receivedAt) >= after) &&
    (!options.subject || matchesRegExp(options.subject, message.subject));
  for (;;) {
    const found = (await listMailboxMessages(dir, { to: options.to })).find(matches);
    if (found) return found;
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs ?? 50, remaining)));
  }
  const conditions = [
    `to ${options.to}`,
    options.subject ? `subject ${String(options.subject)}` : "",
    options.after ? `after ${options.after.toISOString()}` : "",
  ].filter(Boolean);
  throw new Error(`No mail ${conditions.join(", ")} in ${dir} within ${options.timeoutMs} ms`);
}

function codePoint(code: number): string | undefined {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

function matchesRegExp(pattern: RegExp, value: string): boolean {
  pattern.lastIndex = 0; // a /g or /y pattern keeps state between calls
  return pattern.test(value);
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}
