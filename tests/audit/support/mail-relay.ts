import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";

/**
 * An SMTP relay between the site and the sink that adds `addition` to every message it passes
 * on: a planted leak in the site's mail, with the site itself unchanged.
 */
export async function startPlantingMailRelay(sinkUrl: string, addition: string): Promise<{ url: string; close(): Promise<void> }> {
  const onward = nodemailer.createTransport(sinkUrl);
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) =>
          onward.sendMail({
            envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address) },
            from: mail.from?.text,
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject,
            text: `${mail.text ?? ""}\n${addition}`,
            html: `${typeof mail.html === "string" ? mail.html : ""}<p>${addition}</p>`,
          }),
        )
        .then(() => callback(), callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
