/**
 * A stand-in for what a beforeAll hook makes, so the test code can name it at the top of its
 * scope: every read goes to the value once `set` has given it (methods bound to it), and a read
 * before then fails with what was missing.
 */
export function lateBound<T extends object>(what: string): [T, (value: T) => void] {
  let current: T | undefined;
  const standIn = new Proxy({} as T, {
    get(_, key) {
      if (current === undefined) throw new Error(`${what} is only there once the suite's beforeAll has run`);
      const value: unknown = Reflect.get(current, key);
      return typeof value === "function" ? value.bind(current) : value;
    },
  });
  return [standIn, (value) => (current = value)];
}
