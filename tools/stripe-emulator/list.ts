/** Stripe list objects: newest first, `limit`, `starting_after`, `ending_before`, `has_more`, `url`. */
import { resourceMissing } from "./errors";

export interface ListObject<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  url: string;
}

export interface PageParams {
  limit?: number | undefined;
  starting_after?: string | undefined;
  ending_before?: string | undefined;
}

/** `items` must already be filtered and sorted newest first. */
export function paginate<T extends { id: string }>(
  items: T[],
  params: PageParams,
  url: string,
  kind: string,
): ListObject<T> {
  const limit = params.limit ?? 10;
  if (params.starting_after !== undefined) {
    const index = items.findIndex((item) => item.id === params.starting_after);
    if (index === -1) throw resourceMissing(kind, params.starting_after, "starting_after", 400);
    const rest = items.slice(index + 1);
    return { object: "list", data: rest.slice(0, limit), has_more: rest.length > limit, url };
  }
  if (params.ending_before !== undefined) {
    const index = items.findIndex((item) => item.id === params.ending_before);
    if (index === -1) throw resourceMissing(kind, params.ending_before, "ending_before", 400);
    const before = items.slice(0, index);
    const start = Math.max(0, before.length - limit);
    return { object: "list", data: before.slice(start), has_more: start > 0, url };
  }
  return { object: "list", data: items.slice(0, limit), has_more: items.length > limit, url };
}

/** Values of a record, newest first. */
export function newestFirst<T>(record: Record<string, T>): T[] {
  return Object.values(record).reverse();
}
