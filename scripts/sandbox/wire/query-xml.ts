/**
 * The query protocols' XML response writer over the transitional Shape view. Transitional: it
 * goes when query.ts writes its responses with the SDK's XmlShapeSerializer (xml.ts).
 */
import { DATE_TIME, EPOCH_SECONDS, HTTP_DATE, type Shape, type TimestampFormat } from "./shape.js";
import { type EncodeContext, parseTimestamp } from "./values.js";
import { escapeXml } from "./xml.js";

/** Turns an output timestamp (Date, or an ISO string / epoch-seconds number) into a Date. */
export function asDate(value: unknown, where: string, ctx: EncodeContext): Date | undefined {
  if (value instanceof Date) return value;
  try {
    const d = parseTimestamp(value, where);
    ctx.problems.push(`${where}: timestamp given as ${typeof value}, expected Date`);
    return d;
  } catch {
    ctx.problems.push(`${where}: not a timestamp: ${String(value)}`);
    return undefined;
  }
}

export function formatTimestamp(date: Date, format: TimestampFormat): string | number {
  switch (format) {
    case EPOCH_SECONDS:
      return date.getTime() / 1000;
    case HTTP_DATE:
      return date.toUTCString();
    case DATE_TIME:
      return date.toISOString().replace(".000Z", "Z");
  }
}

/** The shape's explicit timestamp format, else the protocol/location default. */
export function timestampFormat(shape: Shape, fallback: TimestampFormat): TimestampFormat {
  return shape.timestampFormat ?? fallback;
}

/** Renders a scalar output value as text (XML, headers). */
export function scalarToText(
  shape: Shape,
  value: unknown,
  where: string,
  tsDefault: TimestampFormat,
  ctx: EncodeContext,
): string | undefined {
  switch (shape.kind) {
    case "timestamp": {
      const d = asDate(value, where, ctx);
      return d ? String(formatTimestamp(d, timestampFormat(shape, tsDefault))) : undefined;
    }
    case "blob":
      if (typeof value === "string") return shape.streaming ? value : Buffer.from(value).toString("base64");
      if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
      ctx.problems.push(`${where}: blob must be a string or Uint8Array`);
      return undefined;
    case "number":
      if (typeof value !== "number") ctx.problems.push(`${where}: expected number, got ${typeof value}`);
      return String(value);
    case "boolean":
      if (typeof value !== "boolean") ctx.problems.push(`${where}: expected boolean, got ${typeof value}`);
      return String(value);
    case "string":
      if (typeof value !== "string") ctx.problems.push(`${where}: expected string, got ${typeof value}`);
      return String(value);
    default:
      return String(value);
  }
}

/** Renders one member (or a top-level structure) as XML element(s). */
export function valueToXml(
  shape: Shape,
  value: unknown,
  name: string,
  where: string,
  ctx: EncodeContext,
  xmlns?: string,
): string {
  if (value === undefined || value === null) return "";
  const ns = xmlns ? ` xmlns="${escapeXml(xmlns)}"` : "";
  switch (shape.kind) {
    case "structure":
    case "union": {
      if (typeof value !== "object" || Array.isArray(value)) {
        ctx.problems.push(`${where}: expected an object`);
        return "";
      }
      const { attributes, body } = structBodyToXml(shape, value as Record<string, unknown>, where, ctx);
      return `<${name}${ns}${attributes}>${body}</${name}>`;
    }
    case "list": {
      if (!Array.isArray(value)) {
        ctx.problems.push(`${where}: expected an array`);
        return "";
      }
      const member = shape.member;
      if (shape.traits.xmlFlattened) {
        return value.map((v, i) => valueToXml(member, v, name, `${where}[${i}]`, ctx)).join("");
      }
      const itemName = member.traits.xmlName ? String(member.traits.xmlName) : "member";
      const items = value.map((v, i) => valueToXml(member, v, itemName, `${where}[${i}]`, ctx)).join("");
      return `<${name}${ns}>${items}</${name}>`;
    }
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) {
        ctx.problems.push(`${where}: expected an object (map)`);
        return "";
      }
      const member = shape.member;
      const keyName = shape.key.traits.xmlName ? String(shape.key.traits.xmlName) : "key";
      const valueName = member.traits.xmlName ? String(member.traits.xmlName) : "value";
      const entries = Object.entries(value as Record<string, unknown>).map(
        ([k, v]) =>
          `<${keyName}>${escapeXml(k)}</${keyName}>${valueToXml(member, v, valueName, `${where}.${k}`, ctx)}`,
      );
      if (shape.traits.xmlFlattened) return entries.map((e) => `<${name}>${e}</${name}>`).join("");
      return `<${name}${ns}>${entries.map((e) => `<entry>${e}</entry>`).join("")}</${name}>`;
    }
    default: {
      const text = scalarToText(shape, value, where, DATE_TIME, ctx);
      return text === undefined ? "" : `<${name}${ns}>${escapeXml(text)}</${name}>`;
    }
  }
}

/** The members of a structure as child elements (and xmlAttribute members as attributes). */
export function structBodyToXml(
  shape: Shape,
  value: Record<string, unknown>,
  where: string,
  ctx: EncodeContext,
  skip: (member: string) => boolean = () => false,
): { attributes: string; body: string } {
  let attributes = "";
  let body = "";
  const known = new Set<string>();
  for (const m of shape.members) {
    known.add(m.name);
    const v = value[m.name];
    if (v === undefined || v === null || skip(m.name)) continue;
    const key = m.shape.xmlName(m.name);
    if (m.shape.traits.xmlAttribute) {
      const text = scalarToText(m.shape, v, `${where}.${m.name}`, DATE_TIME, ctx);
      if (text !== undefined) attributes += ` ${key}="${escapeXml(text)}"`;
      continue;
    }
    body += valueToXml(m.shape, v, key, `${where}.${m.name}`, ctx);
  }
  for (const k of Object.keys(value)) {
    if (!known.has(k) && k !== "$metadata" && value[k] !== undefined) {
      ctx.problems.push(`${where}.${k}: not a member of ${shape.name}`);
    }
  }
  return { attributes, body };
}
