import nodemailer from "nodemailer";
import { env } from "@/lib/env";

let transport: { url: string; transporter: nodemailer.Transporter } | undefined;

/** The SMTP transport for EMAIL_SERVER, or null when mail is not configured. */
export function mailTransport(): nodemailer.Transporter | null {
  const { EMAIL_SERVER } = env();
  if (!EMAIL_SERVER) return null;
  if (transport?.url !== EMAIL_SERVER) transport = { url: EMAIL_SERVER, transporter: nodemailer.createTransport(EMAIL_SERVER) };
  return transport.transporter;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends one message; throws when the server refuses it, so the caller can say so. */
export async function sendMail(mail: OutgoingMail): Promise<void> {
  const t = mailTransport();
  if (!t) throw new Error("Email is not configured: set EMAIL_SERVER to an SMTP URL.");
  const result = await t.sendMail({ from: env().EMAIL_FROM, ...mail });
  const failed = [...result.rejected, ...(result.pending ?? [])].filter(Boolean);
  if (failed.length > 0) throw new Error(`The mail server refused ${failed.join(", ")}`);
}
