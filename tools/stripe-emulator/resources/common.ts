/** Small helpers shared by the resource handlers. */
import { z } from "zod";
import type { ApiHandler } from "../context";
import { resourceMissing } from "../errors";
import { expand } from "../expand";
import { expandParam, parseParams } from "../params";
import { render, type Renderable } from "../render";
import type { State } from "../store";

/** The object under `id`, or Stripe's resource_missing error (404 for URL ids, 400 for params). */
export function mustGet<T>(
  record: Record<string, T>,
  id: string,
  kind: string,
  param = "id",
  status: 400 | 404 = 404,
): T {
  const found = Object.hasOwn(record, id) ? record[id] : undefined;
  if (found === undefined) throw resourceMissing(kind, id, param, status);
  return found;
}

export function pathId(path: Record<string, string>): string {
  return path.id ?? "";
}

/** GET /v1/<objects>/:id: the stored object, rendered and expanded as asked. */
export function retrieveHandler<T extends Renderable>(records: (state: State) => Record<string, T>, kind: string): ApiHandler {
  return (em, { params, path }) => {
    const p = parseParams(z.strictObject({ expand: expandParam }), params);
    return expand(em, render(em, mustGet(records(em.store.state), pathId(path), kind)), p.expand);
  };
}
