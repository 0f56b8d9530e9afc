/** Stripe's form encoding over plain HTTP: nested keys, arrays, empty values, unicode, garbage. */
import { describe, expect, it } from "vitest";
import type Stripe from "stripe";
import { KEY, catalog, emulatorForFile } from "./helpers";

const { emulator, stripe } = emulatorForFile();

async function raw(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/x-www-form-urlencoded", ...headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as Record<string, unknown> & { error?: { type: string; message: string; param?: string } } };
}

describe("form decoding", () => {
  it("decodes nested objects and indexed arrays", async () => {
    const { monthly } = await catalog(stripe, "Form");
    const body = [
      "mode=subscription",
      `line_items[0][price]=${monthly.id}`,
      "line_items[0][quantity]=3",
      "subscription_data[metadata][source]=form%20test",
      "subscription_data[trial_period_days]=7",
      "metadata[a]=1",
      "metadata[b][]=",
      "success_url=http%3A%2F%2Fapp.test%2Fok%3Fs%3D%7BCHECKOUT_SESSION_ID%7D",
      "expand[]=line_items",
    ].join("&");
    const bad = await raw("POST", "/v1/checkout/sessions", body);
    // metadata[b][] is a list, and metadata values must be strings.
    expect(bad.status).toBe(400);
    expect(bad.json.error?.param).toMatch(/^metadata/);

    const ok = await raw("POST", "/v1/checkout/sessions", body.replace("&metadata[b][]=", ""));
    expect(ok.status).toBe(200);
    const session = ok.json as unknown as Stripe.Checkout.Session;
    expect(session.line_items?.data[0]?.quantity).toBe(3);
    expect(session.metadata).toEqual({ a: "1" });
    expect(session.success_url).toBe("http://app.test/ok?s={CHECKOUT_SESSION_ID}");
  });

  it("accepts both expand[]= and expand[0]= and unordered indices", async () => {
    const { product } = await catalog(stripe, "Expand forms");
    for (const expand of ["expand[]=data.product", "expand[0]=data.product", "expand=data.product"]) {
      const listed = await raw("GET", `/v1/prices?product=${product.id}&${expand}`);
      expect(listed.status, expand).toBe(200);
      const data = listed.json.data as Array<{ product: { name: string } }>;
      expect(data[0]?.product.name).toBe("Expand forms");
    }
    const customer = await stripe.customers.create({ email: "f@example.com" });
    const b = await raw("POST", "/v1/customers", "preferred_locales[1]=de&preferred_locales[0]=en");
    expect(b.status).toBe(200);
    expect(b.json.preferred_locales).toEqual(["en", "de"]);
    const c = await raw("GET", `/v1/customers/${customer.id}`);
    expect(c.json.email).toBe("f@example.com");
  });

  it("treats empty values as unset and round-trips unicode", async () => {
    const created = await raw(
      "POST",
      "/v1/customers",
      `name=${encodeURIComponent("Zoë 测试 🗞️ & Söhne")}&description=+leading+plus&metadata[k%C3%A9y]=${encodeURIComponent("välue ✓")}&metadata[gone]=x`,
    );
    expect(created.status).toBe(200);
    expect(created.json.name).toBe("Zoë 测试 🗞️ & Söhne");
    expect(created.json.description).toBe(" leading plus");
    expect(created.json.metadata).toEqual({ kéy: "välue ✓", gone: "x" });
    const id = String(created.json.id);
    const cleared = await raw("POST", `/v1/customers/${id}`, "description=&metadata[gone]=&phone=");
    expect(cleared.status).toBe(200);
    expect(cleared.json.description).toBeNull();
    expect(cleared.json.metadata).toEqual({ kéy: "välue ✓" });
    const wiped = await raw("POST", `/v1/customers/${id}`, "metadata=");
    expect(wiped.json.metadata).toEqual({});
  });

  it("rejects malformed bodies with invalid_request_error and keeps serving", async () => {
    const cases: Array<[string, RegExp | null]> = [
      ["email=%E0%A4%A", /could not decode/],
      ["metadata[a=1", /Invalid parameter name/],
      ["metadata=x&metadata[a]=1", /both a value and a hash/],
      ["[a]=1", /Invalid parameter name/],
      ["__proto__[polluted]=1", /Invalid parameter name/],
      ["metadata[__proto__][x]=1", /Invalid parameter name/],
      ["preferred_locales[]=en&preferred_locales[x]=de", /mixes a list and a hash/],
      ["email[]=a@b.c", null],
      ["name=" + "x".repeat(300), null],
      [Array.from({ length: 2100 }, (_, i) => `metadata[k${i}]=v`).join("&"), /Too many parameters/],
    ];
    for (const [body, message] of cases) {
      const result = await raw("POST", "/v1/customers", body);
      expect(result.status, body.slice(0, 40)).toBe(400);
      expect(result.json.error?.type).toBe("invalid_request_error");
      if (message) expect(result.json.error?.message).toMatch(message);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const json = await raw("POST", "/v1/customers", JSON.stringify({ email: "a@b.c" }), { "content-type": "application/json" });
    expect(json.status).toBe(400);
    expect(json.json.error?.message).toMatch(/unsupported Content-Type/);

    const huge = await raw("POST", "/v1/customers", `description=${"x".repeat(1_100_000)}`);
    expect(huge.status).toBe(413);

    const badQuery = await raw("GET", "/v1/customers?limit=abc");
    expect(badQuery.status).toBe(400);
    expect(badQuery.json.error?.param).toBe("limit");
    expect(badQuery.json.error?.message).toMatch(/Invalid integer/);

    const badBool = await raw("POST", "/v1/products", "name=x&active=maybe");
    expect(badBool.status).toBe(400);
    expect(badBool.json.error?.message).toMatch(/Invalid boolean/);

    const missing = await raw("POST", "/v1/products", "");
    expect(missing.status).toBe(400);
    expect(missing.json.error).toMatchObject({ param: "name", message: "Missing required param: name." });

    const badPath = await raw("GET", "/v1/customers/%E0%A4");
    expect(badPath.status).toBe(404);
    expect(badPath.json.error?.param).toBe("id");

    const alive = await stripe.customers.list({ limit: 1 });
    expect(alive.object).toBe("list");
  });
});
