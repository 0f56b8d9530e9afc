// Development only: see ../page.dev.tsx.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { messageLinks, readMailboxMessage } from "@/lib/mail/mailbox";
import { formatReceivedAt, mailboxDir } from "../mailbox-dir";

export const metadata: Metadata = { title: "Mailbox (development)", robots: { index: false, follow: false } };

export default async function MailboxMessagePage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  if (process.env.NODE_ENV === "production") notFound();
  const { id } = await params;
  const message = await readMailboxMessage(mailboxDir(), id); // null for an invalid id too
  if (!message) notFound();
  const links = messageLinks(message); // the sandboxed preview below cannot open them
  return (
    <section className="page mailbox">
      <p>
        <a href="/dev/mailbox">
          ← Mailbox
        </a>
      </p>
      <h1>{message.subject || "(no subject)"}</h1>
      <dl className="mailbox__headers">
        <dt>From</dt>
        <dd>{message.from}</dd>
        <dt>To</dt>
        <dd>{message.to.join(", ")}</dd>
        <dt>Received</dt>
        <dd>
          <time dateTime={message.receivedAt}>{formatReceivedAt(message.receivedAt)}</time>
        </dd>
      </dl>
      {links.length > 0 && (
        <>
          <h2>Links</h2>
          <ul className="mailbox__links">
            {links.map((link) => (
              <li key={link}>
                <a href={link}>{link}</a>
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>HTML part</h2>
      {message.html === null ? (
        <p className="form-message">This message has no HTML part.</p>
      ) : (
        // An empty sandbox: no scripts, no forms, no same-origin access, no top navigation.
        <iframe className="mailbox__html" sandbox="" srcDoc={message.html} title="HTML part of the message" />
      )}
      <h2>Text part</h2>
      {message.text === null ? (
        <p className="form-message">This message has no text part.</p>
      ) : (
        <pre className="mailbox__text">{message.text}</pre>
      )}
    </section>
  );
}
