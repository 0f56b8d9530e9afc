import fs from "node:fs";

export interface ProxiedRequest {
  at: number;
  method: string;
  path: string;
  status: number;
  /** Every app server nginx tried, in order ("127.0.0.1:3821"), with what each answered. */
  upstreams: Array<{ server: string; status: string }>;
}

/** nginx's access log of the cluster (format `cluster` in tools/cluster/nginx.ts). */
export function readAccessLog(file: string): ProxiedRequest[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [at, method, path, status, ...rest] = line.split(" ");
      // "$upstream_addr $upstream_status": each a comma-separated list when nginx tried several.
      const tail = rest.join(" ");
      const [addrs = "", statuses = ""] = tail.split(/ (?=[\d-]+(?:, [\d-]+)*$)/);
      const servers = addrs.split(", ");
      const codes = statuses.split(", ");
      return {
        at: Math.round(Number(at) * 1000),
        method: method!,
        path: path!,
        status: Number(status),
        upstreams: servers.map((server, i) => ({ server, status: codes[i] ?? "" })),
      };
    });
}
