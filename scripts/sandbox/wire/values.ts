/**
 * Scalars given as text in requests (query protocol forms, URI labels, query strings, headers).
 *
 * Hand-written on purpose: the SDK's reader of such text (`FromStringShapeDeserializer`) is a
 * client's, trusting the server, so it turns `abc` into NaN, `yes` into false and `` into 0. A
 * server must refuse those as AWS does, so text is parsed strictly here. Timestamps are accepted
 * in any of the three AWS renderings (epoch seconds, ISO 8601, HTTP date).
 */
import type { Schema } from "./schema.js";

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
  const keys = Object.keys(value).filter((k) => k !== "$metadata" && value[k] !== undefined);
  if (keys.length > 0) {
    ctx.problems.push(`${operation}: has no output, but the backend returned ${keys.join(", ")}`);
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

function parseNumber(value: string, where: string): number {
  const s = value.trim();
  if (s === "NaN") return Number.NaN;
  if (s === "Infinity") return Number.POSITIVE_INFINITY;
  if (s === "-Infinity") return Number.NEGATIVE_INFINITY;
  const n = Number(s);
  if (s === "" || Number.isNaN(n)) throw new DecodeError(`Invalid number for ${where}: ${value}`);
  return n;
}

function parseBoolean(value: string, where: string): boolean {
  const s = value.trim().toLowerCase();
  if (s === "true") return true;
  if (s === "false") return false;
  throw new DecodeError(`Invalid boolean for ${where}: ${value}`);
}

/** Decodes a scalar given as text per its schema. */
export function scalarFromText(ns: Schema, text: string, where: string): unknown {
  if (ns.isNumericSchema()) return parseNumber(text, where);
  if (ns.isBooleanSchema()) return parseBoolean(text, where);
  if (ns.isTimestampSchema()) return parseTimestamp(text, where);
  if (ns.isBlobSchema()) return ns.isStreaming() ? text : new Uint8Array(Buffer.from(text, "base64"));
  if (ns.isBigIntegerSchema()) {
    try {
      return BigInt(text.trim());
    } catch {
      throw new DecodeError(`Invalid integer for ${where}: ${text}`);
    }
  }
  return text;
}
