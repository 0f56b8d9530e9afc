import { parseAndValidateFlightRouterState } from "next/dist/server/app-render/parse-and-validate-flight-router-state";
import { badRequest } from "./action-request";

/**
 * Next answers a page request whose `Next-Router-State-Tree` header it cannot parse with a 500
 * ("The router state header was sent but could not be parsed"), on every page it renders per
 * request (the not-found page too, now that the header reads cookies). The proxy asks Next's own
 * parser first (pinned with next in package.json) and answers such a request 400 instead.
 */
export function refuseMalformedRouterState(headers: Headers): Response | undefined {
  const state = headers.get("next-router-state-tree");
  if (state === null) return undefined;
  try {
    parseAndValidateFlightRouterState(state);
    return undefined;
  } catch {
    return badRequest("Malformed Next-Router-State-Tree header.");
  }
}
