/**
 * Validates JSON from the emulator against the stripe SDK's own type declarations, read with
 * the TypeScript compiler API: every required (non-optional) field present, no field the type
 * lacks, primitives of the declared kind, null only where declared, and string enums limited to
 * their listed values (the SDK's open `OtherString` member is for values newer than the SDK,
 * which an emulator of this API version has no business sending).
 */
import path from "node:path";
import ts from "typescript";

const ENTRY = path.join(import.meta.dirname, "sdk-objects.ts");

/** Optional in the SDK's declarations but always present in Stripe's answers (required in its OpenAPI spec). */
const ALWAYS_PRESENT: Record<string, string[]> = {
  Invoice: ["amount_paid_off_stripe"],
};

export interface SdkSchema {
  /** Problems of `value` as the object type named `name` in SdkObjects; empty when it conforms. */
  check(name: string, value: unknown): string[];
  names: string[];
}

export function loadSdkSchema(): SdkSchema {
  const program = ts.createProgram([ENTRY], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(ENTRY);
  const declaration = source?.statements.find(ts.isInterfaceDeclaration);
  if (!declaration) throw new Error("sdk-objects.ts declares no interface");
  const root = checker.getTypeAtLocation(declaration);
  const roots = new Map(root.getProperties().map((p) => [p.name, checker.getTypeOfSymbol(p)]));

  const is = (type: ts.Type, flags: ts.TypeFlags) => (type.flags & flags) !== 0;
  const typeName = (type: ts.Type) => (type.aliasSymbol ?? type.getSymbol())?.getName() ?? "";
  /** Stripe.Decimal (a class intersection) travels as a string. */
  const isDecimal = (type: ts.Type) =>
    typeName(type) === "DecimalImpl" || (type.isIntersection() && type.types.some((t) => typeName(t) === "DecimalImpl"));
  /** `string & Record<never, never>`: the SDK's "any other string". */
  const isOtherString = (type: ts.Type) => type.isIntersection() && type.types.some((t) => is(t, ts.TypeFlags.String));

  const describe = (types: ts.Type[]) => types.map((t) => checker.typeToString(t)).join(" | ");

  function kind(value: unknown): string {
    return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  }

  function checkUnion(value: unknown, members: ts.Type[], at: string, out: string[]): void {
    const present = members.filter((t) => !is(t, ts.TypeFlags.Undefined));
    if (value === null) {
      if (!present.some((t) => is(t, ts.TypeFlags.Null))) out.push(`${at}: null where the SDK does not allow it`);
      return;
    }
    const candidates = present.filter((t) => !is(t, ts.TypeFlags.Null));
    if (typeof value === "string") {
      if (candidates.some((t) => is(t, ts.TypeFlags.String) || isDecimal(t))) return;
      const literals = candidates.filter((t) => t.isStringLiteral()).map((t) => (t as ts.StringLiteralType).value);
      if (literals.includes(value)) return;
      if (literals.length > 0) out.push(`${at}: "${value}" is not one of ${literals.map((l) => `"${l}"`).join(", ")}`);
      else if (!candidates.some(isOtherString)) out.push(`${at}: string where the SDK declares ${describe(candidates)}`);
      return;
    }
    if (typeof value === "boolean" || typeof value === "number") {
      const flag = typeof value === "boolean" ? ts.TypeFlags.BooleanLike : ts.TypeFlags.NumberLike;
      if (!candidates.some((t) => is(t, flag))) out.push(`${at}: ${typeof value} where the SDK declares ${describe(candidates)}`);
      return;
    }
    const objects = discriminate(value, candidates.filter((t) => is(t, ts.TypeFlags.Object) || t.isIntersection()));
    if (objects.length === 0) {
      out.push(`${at}: ${kind(value)} matches none of ${describe(candidates).slice(0, 200)}`);
      return;
    }
    let best: string[] | null = null;
    for (const candidate of objects) {
      const problems: string[] = [];
      check(value, candidate, at, problems);
      if (problems.length === 0) return;
      if (!best || problems.length < best.length) best = problems;
    }
    out.push(...(best ?? []));
  }

  /** Narrows object candidates by their literal `object` and `type` fields, as Stripe's unions are tagged. */
  function discriminate(value: unknown, candidates: ts.Type[]): ts.Type[] {
    if (kind(value) !== "object") return candidates;
    const record = value as Record<string, unknown>;
    let rest = candidates;
    for (const key of ["object", "type"]) {
      if (typeof record[key] !== "string") continue;
      const narrowed = rest.filter((t) => {
        const property = t.getProperty(key);
        if (!property) return false;
        const propertyType = checker.getTypeOfSymbol(property);
        const literals = (propertyType.isUnion() ? propertyType.types : [propertyType]).filter((m) => m.isStringLiteral());
        return literals.length === 0 || literals.some((m) => (m as ts.StringLiteralType).value === record[key]);
      });
      if (narrowed.length > 0 || rest.length > 1) rest = narrowed;
    }
    return rest;
  }

  function check(value: unknown, type: ts.Type, at: string, out: string[]): void {
    if (is(type, ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    if (type.isUnion()) return checkUnion(value, type.types, at, out);
    if (is(type, ts.TypeFlags.BooleanLiteral)) return checkUnion(value, [type], at, out);
    if (value === null) {
      if (!is(type, ts.TypeFlags.Null)) out.push(`${at}: null where the SDK declares ${checker.typeToString(type)}`);
      return;
    }
    if (is(type, ts.TypeFlags.StringLike) || isDecimal(type) || isOtherString(type) || is(type, ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike)) {
      return checkUnion(value, [type], at, out);
    }
    if (checker.isArrayType(type)) {
      if (!Array.isArray(value)) return void out.push(`${at}: ${kind(value)} where the SDK declares an array`);
      const element = checker.getTypeArguments(type as ts.TypeReference)[0];
      value.forEach((item, index) => element && check(item, element, `${at}[${index}]`, out));
      return;
    }
    if (kind(value) !== "object") return void out.push(`${at}: ${kind(value)} where the SDK declares ${checker.typeToString(type)}`);
    const record = value as Record<string, unknown>;
    const properties = checker.getPropertiesOfType(type);
    const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
    const always = ALWAYS_PRESENT[typeName(type)] ?? [];
    for (const property of properties) {
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0 && !always.includes(property.name);
      if (!(property.name in record)) {
        if (!optional) out.push(`${at}.${property.name}: missing (required)`);
        continue;
      }
      check(record[property.name], checker.getTypeOfSymbol(property), `${at}.${property.name}`, out);
    }
    const known = new Set(properties.map((p) => p.name));
    for (const key of Object.keys(record)) {
      if (known.has(key)) continue;
      if (index) check(record[key], index.type, `${at}.${key}`, out);
      else out.push(`${at}.${key}: not a field of ${checker.typeToString(type)}`);
    }
  }

  return {
    names: [...roots.keys()],
    check(name, value) {
      const type = roots.get(name);
      if (!type) return [`${name}: not declared in sdk-objects.ts`];
      const out: string[] = [];
      check(value, type, name, out);
      return out;
    },
  };
}
