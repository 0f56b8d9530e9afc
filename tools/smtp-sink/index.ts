/**
 * A small real SMTP server for development and tests: accepts any sender and recipient without
 * authentication, parses each message and stores it as `<id>.json` in a folder that
 * lib/mail/mailbox.ts reads (the /dev/mailbox pages, the tests' waitForMessage).
 */
import { mkdir, rename, unlink, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { simpleParser, type AddressObject } from "mailparser";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";
import {
  listMailboxIds,
  mailboxFileName,
  mailboxMessageSchema,
  newMailboxId,
  type MailboxMessage,
} from "../../lib/mail/mailbox";

export const DEFAULT_MAX_MESSAGE_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_MESSAGES = 200;

export interface SmtpSinkOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback only: the sink has no authentication. */
  host?: "127.0.0.1";
  /** Where the messages are stored; created when missing. */
  dir: string;
  /** Messages larger than this are refused with 552. */
  maxMessageBytes?: number;
  /** Only the newest this many messages are kept. */
  maxMessages?: number;
  /**
   * For tests: called with each message's raw MIME once it is stored and before the client is
   * told it was accepted (so a test can read headers, or stop the sender in that very window).
   */
  onMessage?: (raw: Buffer, message: MailboxMessage) => void | Promise<void>;
}

export interface SmtpSink {
  port: number;
  /** `smtp://127.0.0.1:PORT`, usable as EMAIL_SERVER. */
  url: string;
  /** Stops accepting connections and waits for messages in flight to be stored. */
  close(): Promise<void>;
}

/** An error the SMTP client sees as the given reply code. */
function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

function headerAddresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const addresses: string[] = [];
  const visit = (entries: AddressObject["value"]): void => {
    for (const entry of entries) {
      if (entry.address) addresses.push(entry.address);
      if (entry.group) visit(entry.group);
    }
  };
  for (const object of objects) visit(object.value);
  return addresses;
}

function uniqueAddresses(addresses: string[]): string[] {
  const seen = new Set<string>();
  return addresses.filter((address) => {
    const key = address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function startSmtpSink(options: SmtpSinkOptions): Promise<SmtpSink> {
  const dir = path.resolve(options.dir);
  const host = options.host ?? "127.0.0.1";
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const maxMessages = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
  await mkdir(dir, { recursive: true });

  // Writes and pruning run one at a time, so pruning never races a write of this sink.
  let queue: Promise<void> = Promise.resolve();
  const serialized = (task: () => Promise<void>): Promise<void> => {
    const run = queue.then(task);
    queue = run.catch(() => {});
    return run;
  };

  async function store(raw: Buffer, session: SMTPServerSession): Promise<void> {
    const mail = await simpleParser(raw);
    const envelopeTo = session.envelope.rcptTo.map((recipient) => recipient.address);
    const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
    const id = newMailboxId();
    const message: MailboxMessage = mailboxMessageSchema.parse({
      id,
      receivedAt: new Date().toISOString(),
      from: mail.from?.text || envelopeFrom,
      to: uniqueAddresses(envelopeTo.length > 0 ? envelopeTo : [...headerAddresses(mail.to), ...headerAddresses(mail.cc)]),
      subject: mail.subject ?? "",
      text: mail.text ?? null,
      html: typeof mail.html === "string" ? mail.html : null,
    } satisfies MailboxMessage);
    await serialized(async () => {
      // Readers list only `<id>.json`, so they never see the file half written.
      const temporary = path.join(dir, `.${id}.${process.pid}.tmp`);
      await writeFile(temporary, `${JSON.stringify(message, null, 2)}\n`, "utf8");
      await rename(temporary, path.join(dir, mailboxFileName(id)));
      await prune();
    });
    await options.onMessage?.(raw, message);
  }

  async function prune(): Promise<void> {
    const ids = await listMailboxIds(dir); // newest first
    for (const id of ids.slice(maxMessages)) {
      await unlink(path.join(dir, mailboxFileName(id))).catch(() => {});
    }
  }

  function onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    const chunks: Buffer[] = [];
    let bytes = 0;
    stream.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= maxMessageBytes) chunks.push(chunk); // past the limit, read and drop
    });
    stream.once("error", (error: Error) => callback(error));
    stream.once("end", () => {
      if (stream.sizeExceeded || bytes > maxMessageBytes) {
        callback(smtpError(`Message exceeds fixed maximum message size (${maxMessageBytes} bytes)`, 552));
        return;
      }
      store(Buffer.concat(chunks), session).then(
        () => callback(),
        (error: unknown) => {
          console.error("smtp-sink: could not store a message:", error);
          callback(smtpError("Could not store the message, try again later", 451));
        },
      );
    });
  }

  const server = new SMTPServer({
    name: "smtp-sink.localhost",
    banner: "Masthead development mail sink",
    secure: false,
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: maxMessageBytes,
    disableReverseLookup: true,
    // On close, a connection left open between messages (a pooled sender's) is told 421 after
    // this long, not smtp-server's 30 s: a message being received still has time to be stored.
    closeTimeout: 2_000,
    logger: false,
    onData,
  });
  server.on("error", (error: Error) => console.error("smtp-sink:", error.message));

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.server.once("error", onError);
    server.listen(options.port ?? 0, host, () => {
      server.server.off("error", onError);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    port,
    url: `smtp://${host}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => server.close(() => resolve())).then(() => queue);
      return closing;
    },
  };
}
