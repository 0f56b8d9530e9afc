/**
 * About how many bytes a cached value holds: two per string character (V8 may use one), eight per
 * number, an object's and an array's own overhead, its keys and values. Walked once, when a value
 * is cached, never on a hit. Shared and cyclic parts are counted once.
 */
export function approximateBytes(value: unknown, seen = new Set<object>()): number {
  switch (typeof value) {
    case "string":
      return 16 + value.length * 2;
    case "number":
    case "bigint":
      return 8;
    case "boolean":
    case "undefined":
      return 4;
    case "object": {
      if (value === null) return 4;
      if (seen.has(value)) return 0;
      seen.add(value);
      if (value instanceof Date) return 32;
      if (ArrayBuffer.isView(value)) return 64 + value.byteLength;
      if (value instanceof Map) {
        let bytes = 64;
        for (const [k, v] of value) bytes += 16 + approximateBytes(k, seen) + approximateBytes(v, seen);
        return bytes;
      }
      if (Array.isArray(value) || value instanceof Set) {
        let bytes = 32;
        for (const item of value) bytes += 8 + approximateBytes(item, seen);
        return bytes;
      }
      let bytes = 32;
      for (const [k, v] of Object.entries(value)) bytes += 8 + approximateBytes(k, seen) + approximateBytes(v, seen);
      return bytes;
    }
    default:
      return 16;
  }
}
