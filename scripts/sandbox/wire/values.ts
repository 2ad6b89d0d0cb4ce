/** Scalar conversions shared by the codecs. */
import { DATE_TIME, EPOCH_SECONDS, HTTP_DATE, type Shape, type TimestampFormat } from "./shape.js";

/** Thrown while decoding a request that does not fit the model: rendered as the service's validation error. */
export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DecodeError";
  }
}

/** Collects model mismatches found while encoding an output (members the SDK would drop). */
export interface EncodeContext {
  problems: string[];
}

/** An operation with no output shape: a backend that returned members anyway is a problem. */
export function checkNoOutput(operation: string, value: Record<string, unknown>, ctx: EncodeContext): void {
  if (Object.keys(value).length > 0) {
    ctx.problems.push(
      `${operation}: has no output, but the backend returned ${Object.keys(value).join(", ")}`,
    );
  }
}

/** Parses any AWS timestamp rendering: epoch seconds (number or numeric string), ISO 8601, HTTP date. */
export function parseTimestamp(value: unknown, where: string): Date {
  if (value instanceof Date) return value;
  if (typeof value === "number") return new Date(Math.round(value * 1000));
  if (typeof value === "string") {
    const s = value.trim();
    if (/^-?\d+(\.\d+)?$/.test(s)) return new Date(Math.round(Number(s) * 1000));
    const ms = Date.parse(s);
    if (!Number.isNaN(ms)) return new Date(ms);
  }
  throw new DecodeError(`Invalid timestamp for ${where}: ${String(value)}`);
}

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

export function parseNumber(value: string, where: string): number {
  const s = value.trim();
  if (s === "NaN") return Number.NaN;
  if (s === "Infinity") return Number.POSITIVE_INFINITY;
  if (s === "-Infinity") return Number.NEGATIVE_INFINITY;
  const n = Number(s);
  if (s === "" || Number.isNaN(n)) throw new DecodeError(`Invalid number for ${where}: ${value}`);
  return n;
}

export function parseBoolean(value: string, where: string): boolean {
  const s = value.trim().toLowerCase();
  if (s === "true") return true;
  if (s === "false") return false;
  throw new DecodeError(`Invalid boolean for ${where}: ${value}`);
}

/** Decodes a scalar given as text (query strings, headers, XML text) per its shape. */
export function scalarFromText(shape: Shape, text: string, where: string): unknown {
  switch (shape.kind) {
    case "number":
      return parseNumber(text, where);
    case "boolean":
      return parseBoolean(text, where);
    case "timestamp":
      return parseTimestamp(text, where);
    case "blob":
      return shape.streaming ? text : new Uint8Array(Buffer.from(text, "base64"));
    case "bigInteger":
      return BigInt(text);
    default:
      return text;
  }
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
