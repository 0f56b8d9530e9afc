// A local production cluster: N `next start` servers on one PostgreSQL behind nginx, with the
// Stripe emulator (its webhooks go through nginx like any request) and the SMTP sink.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startSmtpSink, type SmtpSink } from "../smtp-sink";
import { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from "../stripe-emulator";
import { checkDatabase, checkPortsFree, ClusterConfigError } from "./preflight";
import { startAppServer, type AppServer } from "./app-server";
import { startNginx, type RunningNginx } from "./nginx";
import { startThrowawayPostgres, type ThrowawayPostgres } from "./throwaway-postgres";

export { ClusterConfigError };

export interface ClusterOptions {
  instances: number;
  /** nginx listens here; app servers on the next N ports, the emulator, SMTP sink and a throw-away PostgreSQL after them. */
  port: number;
  /** PostgreSQL to run on; without it a throw-away server is started (and deleted at stop). */
  databaseUrl?: string;
  /** Extra environment for every app server. */
  env?: Record<string, string>;
  emulator?: Omit<StripeEmulatorOptions, "port" | "webhooks">;
  /** Where app servers' output goes; default: the console, each line prefixed with its server. */
  output?: (server: number, line: string) => void;
}

export interface Cluster {
  /** The load balancer's address: the site. */
  url: string;
  databaseUrl: string;
  /** The environment every app server runs with. */
  env: Record<string, string>;
  servers: AppServer[];
  nginx: RunningNginx;
  emulator: StripeEmulator;
  webhookSecret: string;
  postgres: ThrowawayPostgres | null;
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const { instances, port } = options;
  const serverPorts = Array.from({ length: instances }, (_, i) => port + 1 + i);
  const emulatorPort = port + instances + 1;
  const smtpPort = port + instances + 2;
  const postgresPort = port + instances + 3;
  await checkPortsFree([
    { port, what: "the load balancer" },
    ...serverPorts.map((p, i) => ({ port: p, what: `app server ${i + 1}` })),
    { port: emulatorPort, what: "the Stripe emulator" },
    { port: smtpPort, what: "the SMTP sink" },
    ...(options.databaseUrl ? [] : [{ port: postgresPort, what: "the throw-away PostgreSQL" }]),
  ]);
  if (options.databaseUrl) await checkDatabase(options.databaseUrl);

  const stops: Array<() => unknown> = [];
  const stop = async () => {
    for (const step of stops.reverse()) await Promise.resolve(step()).catch((error: unknown) => console.error(error));
    stops.length = 0;
  };
  try {
    let postgres: ThrowawayPostgres | null = null;
    let databaseUrl = options.databaseUrl;
    if (!databaseUrl) {
      const started = await startThrowawayPostgres(postgresPort);
      postgres = started;
      stops.push(() => started.remove());
      databaseUrl = started.url;
    }
    const url = `http://127.0.0.1:${port}`;
    const mailbox = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-mailbox-"));
    const sink: SmtpSink = await startSmtpSink({ port: smtpPort, dir: mailbox });
    stops.push(async () => {
      await sink.close();
      fs.rmSync(mailbox, { recursive: true, force: true });
    });
    const webhookSecret = `whsec_${randomBytes(24).toString("hex")}`;
    const emulator = await startStripeEmulator({
      log: false,
      ...options.emulator,
      port: emulatorPort,
      webhooks: [{ url: `${url}/api/stripe/webhook`, secret: webhookSecret }],
    });
    stops.push(() => emulator.close());

    const env: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      SITE_URL: url,
      // One secret for all servers: a session or a meter signed by one is valid on every other.
      AUTH_SECRET: process.env.AUTH_SECRET || randomBytes(32).toString("hex"),
      EMAIL_SERVER: sink.url,
      STRIPE_SECRET_KEY: "sk_test_cluster",
      STRIPE_API_BASE: emulator.url,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      // Behind one nginx (deploy/nginx.conf): the client's address is the entry it appends. A hop
      // count, not nginx's address: here the clients share that address (127.0.0.1).
      TRUSTED_PROXIES: "1",
      ...options.env,
    };
    const output = options.output ?? ((server, line) => console.log(`[app${server}] ${line}`));
    const servers: AppServer[] = [];
    stops.push(() => Promise.all(servers.map((s) => s.stop())));
    // The first server migrates and seeds an empty database alone; the others then start together.
    servers.push(await startAppServer(serverPorts[0]!, env, (line) => output(1, line)));
    servers.push(...(await Promise.all(serverPorts.slice(1).map((p, i) => startAppServer(p, env, (line) => output(i + 2, line))))));

    const nginx: RunningNginx = await startNginx(port, serverPorts.map((p) => `127.0.0.1:${p}`));
    stops.push(() => nginx.stop());
    return { url, databaseUrl, env, servers, nginx, emulator, webhookSecret, postgres, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
