/** Schema-driven JSON codec (awsJson1.0/1.1 bodies and restJson1 payloads). */
import { EPOCH_SECONDS, type Shape } from "./shape.js";
import {
  asDate,
  DecodeError,
  type EncodeContext,
  formatTimestamp,
  parseNumber,
  parseTimestamp,
  timestampFormat,
} from "./values.js";

/** JSON request value → SDK-shaped input value. */
export function fromJson(shape: Shape, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (shape.kind) {
    case "structure":
    case "union": {
      if (typeof value !== "object" || Array.isArray(value))
        throw new DecodeError(`${where} must be an object`);
      const src = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const m of shape.members) {
        const v = fromJson(m.shape, src[m.name], `${where}.${m.name}`);
        if (v !== undefined) out[m.name] = v;
      }
      return out;
    }
    case "list": {
      if (!Array.isArray(value)) throw new DecodeError(`${where} must be a list`);
      const member = shape.member;
      return value.map((v, i) => fromJson(member, v, `${where}[${i}]`) ?? null);
    }
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) throw new DecodeError(`${where} must be a map`);
      const member = shape.member;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const d = fromJson(member, v, `${where}.${k}`);
        if (d !== undefined) out[k] = d;
      }
      return out;
    }
    case "timestamp":
      return parseTimestamp(value, where);
    case "blob":
      if (typeof value !== "string") throw new DecodeError(`${where} must be base64 text`);
      return new Uint8Array(Buffer.from(value, "base64"));
    case "number":
      if (typeof value === "string") return parseNumber(value, where);
      if (typeof value !== "number") throw new DecodeError(`${where} must be a number`);
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw new DecodeError(`${where} must be a boolean`);
      return value;
    case "string":
      if (typeof value !== "string") throw new DecodeError(`${where} must be a string`);
      return value;
    default:
      return value;
  }
}

/** SDK-shaped output value → JSON value (Dates → epoch seconds unless the model says otherwise). */
export function toJson(shape: Shape, value: unknown, where: string, ctx: EncodeContext): unknown {
  if (value === null || value === undefined) return undefined;
  switch (shape.kind) {
    case "structure":
    case "union": {
      if (typeof value !== "object" || Array.isArray(value)) {
        ctx.problems.push(`${where}: expected an object`);
        return undefined;
      }
      const src = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      const known = new Set<string>();
      for (const m of shape.members) {
        known.add(m.name);
        const v = toJson(m.shape, src[m.name], `${where}.${m.name}`, ctx);
        if (v !== undefined) out[m.name] = v;
      }
      for (const k of Object.keys(src)) {
        if (!known.has(k) && k !== "$metadata" && src[k] !== undefined) {
          ctx.problems.push(`${where}.${k}: not a member of ${shape.name}`);
        }
      }
      return out;
    }
    case "list": {
      if (!Array.isArray(value)) {
        ctx.problems.push(`${where}: expected an array`);
        return undefined;
      }
      const member = shape.member;
      return value.map((v, i) => toJson(member, v, `${where}[${i}]`, ctx) ?? null);
    }
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) {
        ctx.problems.push(`${where}: expected an object (map)`);
        return undefined;
      }
      const member = shape.member;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const e = toJson(member, v, `${where}.${k}`, ctx);
        if (e !== undefined) out[k] = e;
      }
      return out;
    }
    case "timestamp": {
      const d = asDate(value, where, ctx);
      return d ? formatTimestamp(d, timestampFormat(shape, EPOCH_SECONDS)) : undefined;
    }
    case "blob":
      if (typeof value === "string") return Buffer.from(value).toString("base64");
      if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
      ctx.problems.push(`${where}: blob must be a string or Uint8Array`);
      return undefined;
    case "number":
      if (typeof value !== "number") {
        ctx.problems.push(`${where}: expected number, got ${typeof value}`);
        return Number(value);
      }
      return Number.isFinite(value) ? value : String(value);
    case "boolean":
      if (typeof value !== "boolean") ctx.problems.push(`${where}: expected boolean, got ${typeof value}`);
      return value;
    case "string":
      if (typeof value !== "string") {
        ctx.problems.push(`${where}: expected string, got ${typeof value}`);
        return String(value);
      }
      return value;
    case "document":
      return jsonDocument(value);
    default:
      return value;
  }
}

function jsonDocument(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(jsonDocument);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonDocument(v)]));
  }
  return value;
}
