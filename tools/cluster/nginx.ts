// nginx as a foreground child process, configured from deploy/nginx.conf (the same template a
// production server uses), with its own prefix, pid file, logs and temp folders in a temp dir.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const NGINX_TEMPLATE = path.resolve("deploy/nginx.conf");

/** Fills the template's ${NAME} placeholders; nginx's own $variables (no braces) are left alone. */
export function renderNginxTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{([A-Z_]+)\}/g, (placeholder, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`deploy/nginx.conf: no value for ${placeholder}`);
    return value;
  });
}

/** Debian's nginx; installed (as root, with apt-get) when missing, as tools/test.sh installs chromium. */
export function ensureNginx(): string {
  const found = which("nginx") ?? (fs.existsSync("/usr/sbin/nginx") ? "/usr/sbin/nginx" : null);
  if (found) return found;
  if (process.getuid?.() !== 0 || !which("apt-get")) throw new Error("nginx is not installed: apt-get install -y nginx");
  console.log("Installing Debian's nginx for the cluster…");
  execFileSync("sh", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx > /dev/null"], { stdio: "inherit" });
  return "/usr/sbin/nginx";
}

function which(name: string): string | null {
  try {
    return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

export interface RunningNginx {
  url: string;
  /** One line per request: time, method, path, status, upstream address(es) and status(es). */
  accessLog: string;
  stop(): Promise<void>;
}

/** nginx on 127.0.0.1:port in front of the given app servers (host:port). */
export async function startNginx(port: number, appServers: string[]): Promise<RunningNginx> {
  const binary = ensureNginx();
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-nginx-"));
  const site = renderNginxTemplate(fs.readFileSync(NGINX_TEMPLATE, "utf8"), {
    LISTEN: `127.0.0.1:${port}`,
    APP_SERVERS: appServers.map((server) => `server ${server} max_fails=1 fail_timeout=5s;`).join("\n    "),
  });
  fs.writeFileSync(path.join(prefix, "masthead.conf"), site);
  // The main context Debian's /etc/nginx/nginx.conf would give, pointed at the temp folder.
  fs.writeFileSync(
    path.join(prefix, "nginx.conf"),
    `daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
    log_format cluster '$msec $request_method $uri $status $upstream_addr $upstream_status';
    access_log ${prefix}/access.log cluster;
    client_body_temp_path ${prefix}/client_body;
    proxy_temp_path ${prefix}/proxy;
    fastcgi_temp_path ${prefix}/fastcgi;
    uwsgi_temp_path ${prefix}/uwsgi;
    scgi_temp_path ${prefix}/scgi;
    include ${prefix}/masthead.conf;
}
`,
  );
  execFileSync(binary, ["-t", "-q", "-p", prefix, "-c", path.join(prefix, "nginx.conf")], { stdio: "inherit" });
  const child = spawn(binary, ["-p", prefix, "-c", path.join(prefix, "nginx.conf")], { stdio: ["ignore", "inherit", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode} (see ${prefix}/error.log)`);
    try {
      await fetch(`${url}/api/health`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not listen on ${url} within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    accessLog: path.join(prefix, "access.log"),
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          fs.rmSync(prefix, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once("exit", done);
        // SIGQUIT: nginx's graceful stop (finishes the requests it is proxying).
        child.kill("SIGQUIT");
      }),
  };
}
