/*
 * The arguments of a server action as the browser sends them: React's reply encoding, JSON in
 * which a string starting with `$` is a reference (`$K1` a FormData, `$@2` a promise, `$F3` a server
 * reference, `$Q4` a Map…). React resolves references while decoding, and a reference to nothing
 * or of the wrong kind throws inside Next, which answers 500. Our actions take plain values and
 * FormData only, so we accept only those references; anything else is a forged request.
 */

/** Next refuses more than this many arguments (SERVER_ACTION_ARGS_LIMIT), with a 500. */
const MAX_ARGUMENTS = 1_000;
/** Far deeper than any form state we send back; keeps the check's recursion bounded. */
const MAX_DEPTH = 32;

// `$$…` escapes a string that starts with `$`; the rest are constants, a date, a bigint, a FormData.
const PLAIN_REFERENCE = /^\$(?:\$[\s\S]*|undefined|NaN|Infinity|-Infinity|-0|D[\s\S]*|n-?\d{1,1000}|K[0-9a-f]{1,8})$/;

function isPlainValue(value: unknown, depth: number): boolean {
  if (typeof value === "string") return !value.startsWith("$") || PLAIN_REFERENCE.test(value);
  if (value === null || typeof value !== "object") return true;
  if (depth >= MAX_DEPTH) return false;
  const items = Array.isArray(value) ? value : Object.values(value);
  return items.every((item) => isPlainValue(item, depth + 1));
}

/** Whether `json` (a fetch action's root, or an MPA form's bound arguments) is a list of plain arguments. */
export function isPlainActionArguments(json: string): boolean {
  let root: unknown;
  try {
    root = JSON.parse(json);
  } catch {
    return false;
  }
  return Array.isArray(root) && root.length <= MAX_ARGUMENTS && isPlainValue(root, 0);
}

/**
 * Whether an MPA form's action descriptor (`$ACTION_<n>:0`) is `{"id": "…", "bound": "$@<m>" | null}`;
 * returns the field that holds the bound arguments (or null when none), false when malformed.
 */
export function boundArgumentsField(prefix: string, descriptor: string): string | null | false {
  let parsed: unknown;
  try {
    parsed = JSON.parse(descriptor);
  } catch {
    return false;
  }
  if (typeof parsed !== "object" || parsed === null || typeof (parsed as { id?: unknown }).id !== "string") return false;
  const bound = (parsed as { bound?: unknown }).bound;
  if (bound === null || bound === undefined) return null;
  const match = typeof bound === "string" ? /^\$@([0-9a-f]{1,8})$/.exec(bound) : null;
  return match ? `${prefix}${parseInt(match[1]!, 16)}` : false;
}
