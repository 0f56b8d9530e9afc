import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db/client";
import { resetEnvForTests } from "@/lib/env";
import { canRunThrowawayPostgres, freePort, startThrowawayPostgres, type ThrowawayPostgres } from "@/tools/cluster/throwaway-postgres";

function setEnv(vars: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvForTests();
}

async function health(): Promise<{ status: number; ms: number; body: unknown }> {
  const { GET } = await import("@/app/api/health/route");
  const started = Date.now();
  const response = await GET();
  return { status: response.status, ms: Date.now() - started, body: await response.json() };
}

describe("the Stripe webhook without billing configured", () => {
  afterAll(() => setEnv({ STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined }));

  async function deliver(): Promise<Response> {
    const { POST } = await import("@/app/api/stripe/webhook/route");
    return POST(
      new Request("http://ledger.test/api/stripe/webhook", {
        method: "POST",
        headers: { "stripe-signature": "t=1,v1=00" },
        body: JSON.stringify({ id: "evt_1", type: "customer.subscription.updated" }),
      }),
    );
  }

  it("answers 503 billing not configured, with no keys or with only the secret key", async () => {
    for (const keys of [{}, { STRIPE_SECRET_KEY: "sk_test_only_the_key" }]) {
      setEnv({ DATA_DIR: "memory://", STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined, ...keys });
      const response = await deliver();
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: "billing not configured" });
    }
  });

  it("still answers 400 to a bad signature once it is configured", async () => {
    setEnv({ STRIPE_SECRET_KEY: "sk_test_configured", STRIPE_WEBHOOK_SECRET: "whsec_configured" });
    const response = await deliver();
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "Invalid signature" });
  });
});

describe("/api/health", () => {
  afterAll(async () => {
    await closeDb();
    setEnv({ DATABASE_URL: undefined });
  });

  it("answers 503 at once when the database's port is closed", async () => {
    await closeDb();
    setEnv({ DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/postgres` });
    const answer = await health();
    expect(answer).toMatchObject({ status: 503, body: { status: "unavailable" } });
    expect(answer.ms).toBeLessThan(2_500);
  });

  it("the front page and the account pages answer the 503 page, not Next's 500, while the database's port is closed", async () => {
    await closeDb();
    setEnv({ DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/postgres` });
    const { NextRequest } = await import("next/server");
    const { proxy } = await import("@/proxy");
    for (const path of ["/", "/account", "/account/cancel", "/account/gifts"]) {
      for (const method of ["GET", "HEAD"]) {
        const answer = await proxy(new NextRequest(`http://ledger.test${path}`, { method }));
        expect(answer?.status, `${method} ${path}`).toBe(503);
        expect(answer?.headers.get("retry-after")).toBe("5");
      }
    }
    // A post is the action's to answer; other pages are not held up by the check.
    expect(await proxy(new NextRequest("http://ledger.test/", { method: "POST" }))).toBeUndefined();
    expect(await proxy(new NextRequest("http://ledger.test/signin"))).toBeUndefined();
  });

  it("answers 503 within ~2 s when the database accepts connections and never answers", async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket)).listen(0, "127.0.0.1");
    await new Promise((resolve) => silent.once("listening", resolve));
    try {
      await closeDb();
      setEnv({ DATABASE_URL: `postgres://postgres@127.0.0.1:${(silent.address() as net.AddressInfo).port}/postgres` });
      const answer = await health();
      expect(answer).toMatchObject({ status: 503, body: { status: "unavailable" } });
      expect(answer.ms).toBeLessThan(2_500);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  describe.runIf(canRunThrowawayPostgres())("with a PostgreSQL of its own", () => {
    let pg: ThrowawayPostgres;
    beforeAll(async () => {
      pg = await startThrowawayPostgres();
      await closeDb();
      setEnv({ DATABASE_URL: pg.url });
    });
    afterAll(async () => {
      await closeDb();
      await pg.remove();
    });

    it("answers 200, then 503 within ~2 s while the database is stopped, then 200 once it is back", async () => {
      expect(await health()).toMatchObject({ status: 200, body: { status: "ok" } });
      await pg.stop();
      const down = await health();
      expect(down).toMatchObject({ status: 503, body: { status: "unavailable" } });
      expect(down.ms).toBeLessThan(2_500);
      await pg.start();
      expect(await health()).toMatchObject({ status: 200, body: { status: "ok" } });
    });
  });
});
