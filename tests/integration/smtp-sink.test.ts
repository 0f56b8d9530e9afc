// The development mail sink (tools/smtp-sink) and its reader (lib/mail/mailbox.ts), with real
// mail sent through nodemailer over SMTP.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  listMailboxIds,
  listMailboxMessages,
  mailboxIdSchema,
  mailboxMessageSchema,
  messageLinks,
  newMailboxId,
  readMailboxMessage,
  waitForMessage,
  type MailboxMessage,
} from "@/lib/mail/mailbox";
import { DEFAULT_MAX_MESSAGE_BYTES, startSmtpSink, type SmtpSink } from "@/tools/smtp-sink";

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "smtp-sink-test-"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function openSink(name: string): Promise<{ sink: SmtpSink; dir: string; transport: nodemailer.Transporter }> {
  const dir = path.join(root, name);
  const sink = await startSmtpSink({ port: 0, dir });
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port: sink.port, secure: false, pool: true });
  return { sink, dir, transport };
}

async function closeSink(opened: { sink: SmtpSink; transport: nodemailer.Transporter }): Promise<void> {
  opened.transport.close();
  await opened.sink.close();
}

describe("the SMTP sink stores real mail", () => {
  let opened: Awaited<ReturnType<typeof openSink>>;
  beforeAll(async () => {
    opened = await openSink("store");
  });
  afterAll(() => closeSink(opened));

  it("listens on a random port and reports its URL", () => {
    expect(opened.sink.port).toBeGreaterThan(0);
    expect(opened.sink.url).toBe(`smtp://127.0.0.1:${opened.sink.port}`);
  });

  it("stores HTML and text parts, a unicode subject and both recipients as one JSON file", async () => {
    const before = Date.now();
    const info = await opened.transport.sendMail({
      from: '"The Port Calder Ledger" <no-reply@ledger.test>',
      to: ["Ada Reader <ada@example.test>", "bob@example.test"],
      subject: "Sign in to The Ledger — ✉️ Zürich über alles",
      text: "Sign in: https://ledger.test/auth/confirm?token=abc&email=ada%40example.test\n",
      html: '<p>Hello</p><p><a href="https://ledger.test/auth/confirm?token=abc&amp;email=ada%40example.test">Sign in</a></p>',
    });
    expect(info.accepted).toEqual(["ada@example.test", "bob@example.test"]);
    expect(info.rejected).toEqual([]);

    const names = await readdir(opened.dir);
    expect(names).toHaveLength(1); // no temp files left behind
    const [name] = names;
    const stored: unknown = JSON.parse(await readFile(path.join(opened.dir, name ?? ""), "utf8"));
    const message = mailboxMessageSchema.parse(stored);
    expect(Object.keys(stored as object).sort()).toEqual(["from", "html", "id", "receivedAt", "subject", "text", "to"]);
    expect(name).toBe(`${message.id}.json`);
    expect(mailboxIdSchema.safeParse(message.id).success).toBe(true);
    expect(new Date(message.receivedAt).toISOString()).toBe(message.receivedAt);
    expect(Date.parse(message.receivedAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(message.receivedAt)).toBeLessThanOrEqual(Date.now());
    expect(message).toMatchObject({
      from: '"The Port Calder Ledger" <no-reply@ledger.test>',
      to: ["ada@example.test", "bob@example.test"],
      subject: "Sign in to The Ledger — ✉️ Zürich über alles",
      text: "Sign in: https://ledger.test/auth/confirm?token=abc&email=ada%40example.test\n",
      html: '<p>Hello</p><p><a href="https://ledger.test/auth/confirm?token=abc&amp;email=ada%40example.test">Sign in</a></p>',
    });
    expect(await readMailboxMessage(opened.dir, message.id)).toEqual(message);
    expect(messageLinks(message)).toEqual(["https://ledger.test/auth/confirm?token=abc&email=ada%40example.test"]);
  });

  it("records Bcc recipients (the envelope) and text-only mail", async () => {
    await opened.transport.sendMail({
      from: "sender@example.test",
      to: "carol@example.test",
      bcc: "audit@example.test",
      subject: "Plain",
      text: "Just text.",
    });
    const message = await waitForMessage(opened.dir, { to: "audit@example.test", timeoutMs: 2000 });
    expect(message).toMatchObject({
      from: "sender@example.test",
      to: ["carol@example.test", "audit@example.test"],
      subject: "Plain",
      html: null,
    });
    expect(message.text?.trim()).toBe("Just text.");
  });
});

describe("listing and reading the mailbox", () => {
  let opened: Awaited<ReturnType<typeof openSink>>;
  beforeAll(async () => {
    opened = await openSink("list");
    for (const [to, subject] of [
      ["first@example.test", "one"],
      ["second@example.test", "two"],
      ["First@Example.test", "three"],
    ] as const) {
      await opened.transport.sendMail({ from: "x@example.test", to, subject, text: subject });
    }
  });
  afterAll(() => closeSink(opened));

  it("lists newest first", async () => {
    const messages = await listMailboxMessages(opened.dir);
    expect(messages.map((m) => m.subject)).toEqual(["three", "two", "one"]);
    const times = messages.map((m) => Date.parse(m.receivedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("filters by recipient, case-insensitively, and limits", async () => {
    expect((await listMailboxMessages(opened.dir, { to: "FIRST@example.test" })).map((m) => m.subject)).toEqual([
      "three",
      "one",
    ]);
    expect((await listMailboxMessages(opened.dir, { to: "first@example.test", limit: 1 })).map((m) => m.subject)).toEqual([
      "three",
    ]);
    expect(await listMailboxMessages(opened.dir, { to: "nobody@example.test" })).toEqual([]);
    expect(await listMailboxMessages(opened.dir, { limit: 0 })).toEqual([]);
  });

  it("treats a missing folder as an empty mailbox", async () => {
    expect(await listMailboxMessages(path.join(root, "does-not-exist"))).toEqual([]);
  });

  it("waits for a message sent later, and times out clearly", async () => {
    const after = new Date();
    const waiting = waitForMessage(opened.dir, { to: "later@example.test", subject: /^Your link/, after, timeoutMs: 5000 });
    setTimeout(() => {
      void opened.transport.sendMail({ from: "x@example.test", to: "later@example.test", subject: "Your link", text: "hi" });
    }, 150);
    const message = await waiting;
    expect(message.subject).toBe("Your link");
    expect(Date.parse(message.receivedAt)).toBeGreaterThanOrEqual(after.getTime());

    // Only older mail matches: `after` excludes it.
    await expect(
      waitForMessage(opened.dir, { to: "first@example.test", after: new Date(Date.now() + 1000), timeoutMs: 200 }),
    ).rejects.toThrow(/No mail to first@example.test.*within 200 ms/);
    await expect(
      waitForMessage(opened.dir, { to: "first@example.test", subject: /nope/, timeoutMs: 100 }),
    ).rejects.toThrow(/subject \/nope\//);
  });

  it("rejects ids the sink could not have generated, path traversal included", async () => {
    // A perfectly valid message file outside the mailbox, one level up.
    const [real] = await listMailboxMessages(opened.dir, { limit: 1 });
    expect(real).toBeDefined();
    const outside: MailboxMessage = { ...(real as MailboxMessage), id: newMailboxId() };
    await writeFile(path.join(root, `${outside.id}.json`), JSON.stringify(outside));
    await writeFile(path.join(root, "secret.json"), JSON.stringify(outside));

    for (const id of [
      `../${outside.id}`,
      "../secret",
      `${real?.id}/../../secret`,
      "..%2fsecret",
      "/etc/passwd",
      `${real?.id}.json`,
      `${real?.id}\0`,
      "",
      `${real?.id.slice(0, -1)}G`,
      `${real?.id}0`,
    ]) {
      expect(mailboxIdSchema.safeParse(id).success, id).toBe(false);
      expect(await readMailboxMessage(opened.dir, id), id).toBeNull();
    }
    expect(await readMailboxMessage(opened.dir, newMailboxId())).toBeNull(); // valid but unknown
  });

  it("skips corrupt and foreign files instead of throwing", async () => {
    const dir = path.join(root, "corrupt");
    await opened.transport.sendMail({ from: "x@example.test", to: "y@example.test", subject: "good", text: "ok" });
    const [good] = await listMailboxMessages(opened.dir, { limit: 1 });
    expect(good?.subject).toBe("good");

    await rm(dir, { recursive: true, force: true });
    await mkdir(dir);
    await writeFile(path.join(dir, `${good?.id}.json`), JSON.stringify(good));
    const broken = newMailboxId();
    const wrongShape = newMailboxId();
    const wrongId = newMailboxId();
    await writeFile(path.join(dir, `${broken}.json`), '{"id": "trunc');
    await writeFile(path.join(dir, `${wrongShape}.json`), JSON.stringify({ id: wrongShape, subject: 42 }));
    await writeFile(path.join(dir, `${wrongId}.json`), JSON.stringify({ ...good, id: newMailboxId() }));
    await writeFile(path.join(dir, `.${newMailboxId()}.1.tmp`), JSON.stringify(good));
    await writeFile(path.join(dir, "notes.json"), JSON.stringify(good));

    expect(await listMailboxIds(dir)).toHaveLength(4);
    expect(await listMailboxMessages(dir)).toEqual([good]);
    expect(await readMailboxMessage(dir, broken)).toBeNull();
    expect(await readMailboxMessage(dir, wrongShape)).toBeNull();
    expect(await readMailboxMessage(dir, wrongId)).toBeNull();
    expect(await waitForMessage(dir, { to: "y@example.test", timeoutMs: 500 })).toEqual(good);
  });
});

describe("limits", () => {
  it("keeps only the newest 200 messages", async () => {
    const opened = await openSink("cap");
    try {
      // 199 older messages already in the folder (say, from earlier runs), then 3 new ones by SMTP.
      const base = Date.now() - 600_000;
      const seeded = Array.from({ length: 199 }, (_, i) => {
        const id = `${String(base + i).padStart(13, "0")}-${i.toString(16).padStart(16, "0")}`;
        const message: MailboxMessage = {
          id,
          receivedAt: new Date(base + i).toISOString(),
          from: "old@example.test",
          to: ["cap@example.test"],
          subject: `old${i}`,
          text: "old",
          html: null,
        };
        return message;
      });
      await Promise.all(seeded.map((m) => writeFile(path.join(opened.dir, `${m.id}.json`), JSON.stringify(m))));
      expect(await listMailboxIds(opened.dir)).toHaveLength(199);

      for (const subject of ["new0", "new1", "new2"]) {
        await opened.transport.sendMail({ from: "x@example.test", to: "cap@example.test", subject, text: subject });
      }
      expect(await readdir(opened.dir)).toHaveLength(200);
      const messages = await listMailboxMessages(opened.dir);
      expect(messages).toHaveLength(200);
      expect(messages.slice(0, 4).map((m) => m.subject)).toEqual(["new2", "new1", "new0", "old198"]);
      expect(messages.at(-1)?.subject).toBe("old2");
      expect(await readMailboxMessage(opened.dir, seeded[0]?.id ?? "")).toBeNull();
      expect(await readMailboxMessage(opened.dir, seeded[1]?.id ?? "")).toBeNull();
    } finally {
      await closeSink(opened);
    }
  });

  it("refuses a message over the size limit and stores nothing, then accepts the next", async () => {
    const opened = await openSink("size");
    try {
      expect(DEFAULT_MAX_MESSAGE_BYTES).toBe(5 * 1024 * 1024);
      const big = "x".repeat(76).concat("\r\n").repeat(Math.ceil((DEFAULT_MAX_MESSAGE_BYTES + 1024) / 78));
      await expect(
        opened.transport.sendMail({ from: "x@example.test", to: "big@example.test", subject: "big", text: big }),
      ).rejects.toMatchObject({ responseCode: 552 });
      expect(await listMailboxMessages(opened.dir)).toEqual([]);

      await opened.transport.sendMail({ from: "x@example.test", to: "small@example.test", subject: "small", text: "ok" });
      expect((await listMailboxMessages(opened.dir)).map((m) => m.subject)).toEqual(["small"]);
    } finally {
      await closeSink(opened);
    }
  });
});

describe("closing", () => {
  it("does not wait half a minute for a pooled sender's idle connection", async () => {
    const opened = await openSink("closing");
    await opened.transport.sendMail({ from: "x@example.test", to: "idle@example.test", subject: "kept open", text: "ok" });
    const started = performance.now();
    await opened.sink.close(); // the pooled connection is still open, between messages
    expect(performance.now() - started).toBeLessThan(10_000);
    expect((await listMailboxMessages(opened.dir)).map((m) => m.subject)).toEqual(["kept open"]);
    opened.transport.close();
  });
});
