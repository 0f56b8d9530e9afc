/*
 * The server's output, read for errors. An entry is a line that does not start with whitespace,
 * with the indented lines (stack frames, an error's fields) that follow it. Next prints errors it
 * caught from a page or handler with `⨯`; Auth.js with `[auth][error]`; anything that reaches
 * process level says "Unhandled" or "uncaught". Next's warnings (printed without `⨯`) about action
 * ids it does not know or a form without one, each answered 4xx, are expected here.
 */
const ERROR = /⨯|\[auth\]\[error\]|unhandled|uncaught|internal error|fatal/i;
const ERROR_OBJECT = /^(?:\w*Error|Error):/;
const EXPECTED_WARNINGS = [/^Error: Invalid Server Actions request\.$/, /^Error: Failed to find Server Action/, /^Error: The Server Reference ID did not match the expected format/, /^Read more: https:\/\/nextjs\.org\/docs\/messages\/failed-to-find-server-action/];

export function serverLogErrors(log: string): string[] {
  const entries: string[] = [];
  for (const line of log.split("\n")) {
    if (/^\s/.test(line) || line === "}") {
      if (entries.length) entries[entries.length - 1] += `\n${line}`;
    } else if (line.trim() !== "") {
      entries.push(line);
    }
  }
  return entries.filter((entry) => {
    const first = entry.split("\n")[0]!;
    if (EXPECTED_WARNINGS.some((pattern) => pattern.test(first))) return false;
    return ERROR.test(first) || ERROR_OBJECT.test(first);
  });
}
