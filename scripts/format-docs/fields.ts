/**
 * Field tables for the format documents (docs/scenario-format.md, docs/report-format.md), read
 * from the JSON Schema zod derives from the schema the code validates with. Every field of the
 * schema is one row: its path, type, whether it is required (or its default) and its meaning.
 * The meaning is the schema's own description when it has one; otherwise the text the document
 * already carries for that row, so a field the schema gains shows up with an empty meaning.
 */

/** The subset of JSON Schema (draft 2020-12, as z.toJSONSchema writes it) the tables read. */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  minItems?: number;
}

export interface FieldRow {
  path: string;
  type: string;
  required: string;
  meaning: string;
}

/** One table: the top level, or one shape of a field that takes one of several object shapes. */
export interface FieldTable {
  title: string;
  rows: FieldRow[];
}

const code = (v: unknown) => `\`${typeof v === "string" ? v : JSON.stringify(v)}\``;
const isNull = (s: JsonSchema) => s.type === "null";
const isObject = (s: JsonSchema) => s.type === "object" && s.properties !== undefined;

/** A schema's variants besides null, and whether null is one of them. */
function variants(s: JsonSchema): { options: JsonSchema[]; nullable: boolean } {
  if (s.anyOf) return { options: s.anyOf.filter((o) => !isNull(o)), nullable: s.anyOf.some(isNull) };
  if (Array.isArray(s.type) && s.type.includes("null")) {
    const rest = s.type.filter((t) => t !== "null");
    const [one] = rest;
    return { options: [{ ...s, type: rest.length === 1 && one !== undefined ? one : rest }], nullable: true };
  }
  return { options: [s], nullable: false };
}

function bounds(s: JsonSchema): string {
  const out: string[] = [];
  if (s.minimum !== undefined) out.push(`≥ ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) out.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) out.push(`≤ ${s.maximum}`);
  return out.length ? ` ${out.join(", ")}` : "";
}

/** A one-line type: `one of` for enums, the pattern of a plain string, the bounds of a number. */
export function typeOf(s: JsonSchema): string {
  const { options, nullable } = variants(s);
  const text =
    options.length > 1 ? `one of ${options.length} shapes (tables below)` : single(options[0] ?? {});
  return nullable ? `${text}, or null` : text;
}

function single(s: JsonSchema): string {
  if (s.const !== undefined) return code(s.const);
  if (s.enum) return `one of ${s.enum.map(code).join(", ")}`;
  switch (s.type) {
    case "string":
      if (s.format === "date-time") return "ISO-8601 UTC date-time";
      return s.pattern ? `string matching ${code(s.pattern)}` : "string";
    case "integer":
    case "number":
      return `${s.type}${bounds(s)}`;
    case "boolean":
      return "boolean";
    case "array":
      return `array${s.minItems ? ` (at least ${s.minItems})` : ""} of ${s.items && isObject(s.items) ? "objects (rows below)" : typeOf(s.items ?? {})}`;
    case "object":
      if (s.properties) return "object (rows below)";
      return typeof s.additionalProperties === "object"
        ? `map of string to ${typeOf(s.additionalProperties)}`
        : "object";
    default:
      return "any";
  }
}

function requiredText(parent: JsonSchema, key: string, s: JsonSchema): string {
  if (parent.required?.includes(key)) return "yes";
  return s.default !== undefined ? `no (default ${code(s.default)})` : "no";
}

/** The schema's tables, meanings filled from `known` (keyed `title\u0000path`) where the schema has none. */
export function fieldTables(
  root: JsonSchema,
  title: string,
  known: ReadonlyMap<string, string>,
): FieldTable[] {
  const tables: FieldTable[] = [];
  const walk = (obj: JsonSchema, prefix: string, table: FieldTable) => {
    for (const [key, field] of Object.entries(obj.properties ?? {})) {
      const path = `${prefix}${key}`;
      const meaning = field.description ?? known.get(`${table.title}\u0000${path}`) ?? "";
      table.rows.push({ path, type: typeOf(field), required: requiredText(obj, key, field), meaning });
      nested(field, path, table);
    }
  };
  const nested = (field: JsonSchema, path: string, table: FieldTable) => {
    const { options } = variants(field);
    const [only] = options;
    if (options.length === 1 && only?.type === "array" && only.items)
      return nested(only.items, `${path}[]`, table);
    if (options.length === 1 && only && isObject(only)) return walk(only, `${path}.`, table);
    for (const shape of options.filter(isObject)) {
      const keys = (shape.required ?? []).map(code).join(", ");
      const sub: FieldTable = {
        title: `${code(path)} with ${keys}${shape.description ? `: ${shape.description}` : ""}`,
        rows: [],
      };
      tables.push(sub);
      walk(shape, `${path}.`, sub);
    }
  };
  const top: FieldTable = { title, rows: [] };
  tables.unshift(top);
  walk(root, "", top);
  return [top, ...tables.slice(1)];
}

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/** Markdown: each table under a bold title, rows in schema order. */
export function renderTables(tables: readonly FieldTable[]): string {
  return tables
    .map((t) =>
      [
        `**${t.title}**`,
        "",
        "| Field | Type | Required | Meaning |",
        "| --- | --- | --- | --- |",
        ...t.rows.map((r) => `| ${[code(r.path), r.type, r.required, r.meaning].map(cell).join(" | ")} |`),
      ].join("\n"),
    )
    .join("\n\n");
}

/** The meanings a rendered block carries, keyed `title\u0000path` (the inverse of renderTables). */
export function meaningsIn(block: string): Map<string, string> {
  const out = new Map<string, string>();
  let title = "";
  for (const line of block.split("\n")) {
    const heading = /^\*\*(.+)\*\*$/.exec(line);
    if (heading?.[1]) title = heading[1];
    const row = /^\| `([^`]+)` \| (.*) \|$/.exec(line);
    if (!row?.[1] || row[2] === undefined) continue;
    const cells = row[2].split(/(?<!\\) \| /);
    out.set(`${title}\u0000${row[1]}`, (cells[2] ?? "").replaceAll("\\|", "|"));
  }
  return out;
}

/** Every field path a rendered block names, with the title of the table it is in. */
export function pathsIn(block: string): string[] {
  return [...meaningsIn(block).keys()].map((k) => k.replace("\u0000", " → "));
}
