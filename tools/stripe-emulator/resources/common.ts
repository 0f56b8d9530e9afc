/** Small helpers shared by the resource handlers. */
import { resourceMissing } from "../errors";

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
