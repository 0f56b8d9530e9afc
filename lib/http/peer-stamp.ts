import "server-only";
import http from "node:http";
import https from "node:https";
import { PEER_HEADER, peerHeaderValue } from "./client-address";

/**
 * Stamps every request this process's HTTP servers accept with the socket's address (replacing
 * whatever a client sent under that name), so `clientAddress` can read it. Next (16) hands a proxy
 * or route handler no socket, and copies the socket's address into X-Forwarded-For only when the
 * client sent none; its server is created before instrumentation runs, so the stamp wraps the
 * servers' `emit` of "request". Called once, first, from instrumentation.
 */
export function stampPeerAddresses(): void {
  const g = globalThis as Record<symbol, boolean | undefined>;
  if (g[Symbol.for("masthead.peer-stamp")]) return;
  g[Symbol.for("masthead.peer-stamp")] = true;
  for (const server of [http.Server.prototype, https.Server.prototype] as Array<{ emit(event: string | symbol, ...args: unknown[]): boolean }>) {
    const emit = server.emit;
    server.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === "request") stamp(args[0] as http.IncomingMessage);
      return emit.call(this, event, ...args);
    };
  }
}

function stamp(request: http.IncomingMessage): void {
  const address = request.socket?.remoteAddress;
  if (address) request.headers[PEER_HEADER] = peerHeaderValue(address);
  else delete request.headers[PEER_HEADER];
}
