import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { NGINX_TEMPLATE, renderNginxTemplate } from "@/tools/cluster/nginx";

describe("deploy/nginx.conf as the cluster's template", () => {
  const template = fs.readFileSync(NGINX_TEMPLATE, "utf8");
  const rendered = renderNginxTemplate(template, { LISTEN: "127.0.0.1:8080", APP_SERVERS: "server 127.0.0.1:8081;" });

  it("fills the placeholders and leaves nginx's own variables alone", () => {
    expect(rendered).toContain("listen 127.0.0.1:8080;");
    expect(rendered).toContain("server 127.0.0.1:8081;");
    expect(rendered).not.toMatch(/\$\{[A-Z_]+\}/);
    expect(rendered).toContain("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;");
  });

  it("never lets nginx replay a POST on another server", () => {
    expect(rendered).toMatch(/proxy_next_upstream error timeout;/);
    expect(rendered).not.toContain("non_idempotent");
  });

  it("refuses a template value it was not given", () => {
    expect(() => renderNginxTemplate(template, { LISTEN: "80" })).toThrow("${APP_SERVERS}");
  });
});
