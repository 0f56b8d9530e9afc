/** Small helpers shared by the resource handlers. */
import { z } from "zod";
import type { ApiHandler } from "../context";
import { resourceMissing } from "../errors";
import { expand } from "../expand";
import { newestFirst, paginate, type PageParams } from "../list";
import { expandParam, inRange, parseParams, type Range } from "../params";
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

type ListQuery = PageParams & { expand?: string[] | undefined; created?: Range };

/** The records of the store that list as Stripe objects, and the object each holds. */
type Listed = { [K in keyof State]: State[K] extends Record<string, infer T> ? (T extends Renderable & { created: number } ? K : never) : never }[keyof State];
type ListedObject<K extends Listed> = State[K] extends Record<string, infer T> ? T : never;

interface ListFilters<T, P> {
  /** Parameters named for a field: given, they keep the objects whose field has that value. */
  equal?: Array<keyof P & keyof T>;
  /** What the other filter parameters keep. */
  keep?: (object: T, p: P) => boolean;
}

/**
 * GET /v1/<objects>: the objects of the store's `records` newest first, those the filter
 * parameters keep (a `created` range among them), paged from `url`, rendered and expanded as asked.
 */
export function listHandler<S extends z.ZodType<ListQuery>, K extends Listed>(
  schema: S,
  records: K,
  page: { url: string; kind: string },
  { equal = [], keep = () => true }: ListFilters<ListedObject<K>, z.infer<S>> = {},
): ApiHandler {
  return (em, { params }) => {
    const p = parseParams(schema, params);
    const items = newestFirst(em.store.state[records] as Record<string, ListedObject<K> & Renderable & { id: string; created: number }>).filter(
      (object) => equal.every((key) => p[key] === undefined || (object[key] as unknown) === p[key]) && inRange(object.created, p.created) && keep(object, p),
    );
    return expand(em, paginate(items.map((object) => render(em, object)), p, page.url, page.kind), p.expand);
  };
}
