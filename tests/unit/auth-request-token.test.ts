import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refuseAuthRequest } from "@/lib/auth/auth-request";
import { resetEnvForTests } from "@/lib/env";

describe("an email link's callback", () => {
  const saved = process.env.EMAIL_SERVER;
  beforeAll(() => {
    process.env.EMAIL_SERVER = "smtp://127.0.0.1:2525";
    resetEnvForTests();
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.EMAIL_SERVER;
    else process.env.EMAIL_SERVER = saved;
    resetEnvForTests();
  });
  const callback = (query: string, method = "GET") => new Request(`http://localhost/api/auth/callback/nodemailer${query}`, { method });

  it("without its token is refused with a 400 before Auth.js throws and logs", async () => {
    expect(refuseAuthRequest(callback(""))?.status).toBe(400);
    expect(refuseAuthRequest(callback("?email=a%40b.test&token="))?.status).toBe(400);
    expect(refuseAuthRequest(callback("?email=a%40b.test"), new Uint8Array())?.status).toBe(400);
  });

  it("with a token goes on to Auth.js", () => {
    expect(refuseAuthRequest(callback("?email=a%40b.test&token=abc"))).toBeNull();
  });
});
