import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { startSmtpSink } from "@/tools/smtp-sink";

/**
 * An SMTP sink for the suite, as the app's EMAIL_SERVER, writing into a mailbox folder the tests
 * read. Call it before the app's own suite hooks, so the app starts with the variable set.
 */
export function mailSinkForSuite(name: string): { mailbox: string } {
  const mailbox = fs.mkdtempSync(path.join(os.tmpdir(), `masthead-${name}-mail-`));
  let sink: Awaited<ReturnType<typeof startSmtpSink>> | undefined;
  beforeAll(async () => {
    sink = await startSmtpSink({ dir: mailbox });
    process.env.EMAIL_SERVER = sink.url;
  });
  afterAll(async () => {
    await sink?.close();
    delete process.env.EMAIL_SERVER;
  });
  return { mailbox };
}
