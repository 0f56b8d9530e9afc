import net from "node:net";
import nodemailer from "nodemailer";
import type SMTPPool from "nodemailer/lib/smtp-pool";
import { env } from "@/lib/env";

let transport: { url: string; transporter: nodemailer.Transporter } | undefined;

/**
 * nodemailer waits 2 minutes to connect and 10 minutes on a silent server; a sign-in or a billing
 * mail should fail (and say so, or retry) long before. The URL's own values win.
 */
const TIMEOUTS = { connectionTimeout: "10000", greetingTimeout: "10000", socketTimeout: "30000" };

export function withTimeouts(url: string): string {
  const parsed = new URL(url);
  for (const [name, ms] of Object.entries(TIMEOUTS)) if (!parsed.searchParams.has(name)) parsed.searchParams.set(name, ms);
  return parsed.toString();
}

/** The SMTP transport for EMAIL_SERVER, or null when mail is not configured. */
export function mailTransport(): nodemailer.Transporter | null {
  const { EMAIL_SERVER } = env();
  if (!EMAIL_SERVER) return null;
  if (transport?.url !== EMAIL_SERVER) transport = { url: EMAIL_SERVER, transporter: nodemailer.createTransport(withTimeouts(EMAIL_SERVER)) };
  return transport.transporter;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** A display name and address in place of EMAIL_FROM (newsletters send under their own name). */
  from?: { name: string; address: string };
  /** Extra headers (List-Unsubscribe…); nodemailer encodes them, our callers refuse line breaks first. */
  headers?: Record<string, string>;
  messageId?: string;
}

/** Sends one message; throws when the server refuses it, so the caller can say so. */
export async function sendMail(mail: OutgoingMail): Promise<void> {
  const t = mailTransport();
  if (!t) throw new Error("Email is not configured: set EMAIL_SERVER to an SMTP URL.");
  const result = await t.sendMail({ from: env().EMAIL_FROM, ...mail });
  const failed = [...result.rejected, ...(result.pending ?? [])].filter(Boolean);
  if (failed.length > 0) throw new Error(`The mail server refused ${failed.join(", ")}`);
}

let bulk: { url: string; transporter: nodemailer.Transporter } | undefined;

/**
 * Sends one message of a bulk send over a pooled connection to EMAIL_SERVER (one connection,
 * reused, instead of one per message). Throws nodemailer's error as is (its `responseCode` and
 * `command` tell a refusal from a lost connection), or a 550 when the recipient was refused.
 */
export async function sendBulkMail(mail: OutgoingMail): Promise<void> {
  const { EMAIL_SERVER, EMAIL_FROM } = env();
  if (!EMAIL_SERVER) throw new Error("Email is not configured: set EMAIL_SERVER to an SMTP URL.");
  if (bulk?.url !== EMAIL_SERVER) {
    bulk?.transporter.close();
    const transporter = nodemailer.createTransport(`${EMAIL_SERVER}${EMAIL_SERVER.includes("?") ? "&" : "?"}pool=true&maxConnections=1`);
    // nodemailer's hook for opening the pool's connections (the Mail object hands it to the pool).
    (transporter as unknown as Pick<SMTPPool, "getSocket">).getSocket = connectWithoutDelay;
    bulk = { url: EMAIL_SERVER, transporter };
  }
  const result = await bulk.transporter.sendMail({ from: EMAIL_FROM, ...mail });
  if (result.rejected.length > 0) throw Object.assign(new Error(`The mail server refused ${result.rejected.join(", ")}`), { responseCode: 550, command: "RCPT TO" });
}

/**
 * The bulk connection, opened with Nagle's algorithm off: with it on, each message's last small
 * write waited for the server's delayed ACK (about 40 ms on Linux), so a send never passed ~20
 * messages a second whatever its rate setting. nodemailer carries on from the open socket (TLS
 * included). A failure here is its connection phase ("CONN"): nothing was sent.
 */
function connectWithoutDelay(options: SMTPPool.Options, callback: (error: Error | null, socketOptions: { connection: net.Socket } | false) => void): void {
  const socket = net.connect({ host: options.host || "localhost", port: Number(options.port) || (options.secure ? 465 : 587), noDelay: true });
  const failed = (error: Error) => callback(Object.assign(error, { command: "CONN" }), false);
  socket.once("error", failed);
  socket.setTimeout(Number(TIMEOUTS.connectionTimeout), () => socket.destroy(Object.assign(new Error("Connection timeout"), { code: "ETIMEDOUT" })));
  socket.once("connect", () => {
    socket.off("error", failed);
    socket.setTimeout(0);
    callback(null, { connection: socket });
  });
}
