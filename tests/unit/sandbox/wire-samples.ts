/**
 * Sample values for any operation of an SDK model, and the SDK client's own protocol to send them
 * with: the round-trip test serializes requests and parses responses exactly as the clients do.
 */
import { NormalizedSchema, operation } from "@smithy/core/schema";

const MAX_DEPTH = 3;
const WHEN = new Date(Date.UTC(2026, 2, 1, 9, 30, 15));

/** Required members: a static structure lists them first and counts them in its 7th element. */
function requiredMembers(ns: NormalizedSchema): Set<string> {
  const sc = ns.getSchema() as unknown as [number, string, string, unknown, string[], unknown[], number?];
  return new Set(sc[4].slice(0, sc[6] ?? 0));
}

/** A value of every member (optional members only down to MAX_DEPTH), types as the SDK uses them. */
export function sample(ns: NormalizedSchema, name: string, depth = 0, status = 200): unknown {
  if (ns.isStructSchema()) {
    const required = requiredMembers(ns);
    const out: Record<string, unknown> = {};
    for (const [member, m] of ns.structIterator()) {
      const t = m.getMergedTraits();
      if (depth >= MAX_DEPTH && !required.has(member)) continue;
      if (m.isDocumentSchema() || m.isBigDecimalSchema() || m.isBigIntegerSchema() || t.mediaType) continue;
      let v: unknown;
      if (t.httpResponseCode) v = status;
      else if (t.hostLabel) v = "host1";
      else if (t.httpPrefixHeaders !== undefined) v = { k1: `${member} v` };
      else if (t.httpQueryParams) v = m.getValueSchema().isListSchema() ? { qp1: ["v"] } : { qp1: "v" };
      else v = sample(m, member, depth + 1, status);
      // Nothing to send (a structure whose members are all below MAX_DEPTH): leave the member out.
      if (isEmpty(v) && !required.has(member)) continue;
      out[member] = v;
      if (ns.isUnionSchema()) break;
    }
    if (Object.keys(out).length === 0) {
      // Below MAX_DEPTH still one scalar, so that a structure is never empty (and so never unsent).
      for (const [member, m] of ns.structIterator()) {
        if (m.isStringSchema() || m.isNumericSchema() || m.isBooleanSchema()) {
          out[member] = sample(m, member, depth + 1, status);
          break;
        }
      }
    }
    return out;
  }
  if (ns.isListSchema()) return [sample(ns.getValueSchema(), name, depth + 1, status)];
  if (ns.isMapSchema()) return { k1: sample(ns.getValueSchema(), name, depth + 1, status) };
  if (ns.isTimestampSchema()) return WHEN;
  if (ns.isNumericSchema()) return 7;
  if (ns.isBooleanSchema()) return true;
  if (ns.isBlobSchema()) return ns.isStreaming() ? `${name} body` : new Uint8Array([1, 2, 3]);
  return `${name} v/1:x`;
}

function isEmpty(v: unknown): boolean {
  if (Array.isArray(v)) return v.every(isEmpty);
  if (v && typeof v === "object" && !(v instanceof Date) && !(v instanceof Uint8Array)) {
    return Object.values(v).every(isEmpty);
  }
  return false;
}

/** The path of the first difference between two comparable values. */
export function difference(got: unknown, want: unknown, path = ""): string | undefined {
  if (Object.is(got, want)) return undefined;
  if (got instanceof Date && want instanceof Date && got.getTime() === want.getTime()) return undefined;
  const obj = (v: unknown) => v !== null && typeof v === "object" && !(v instanceof Date);
  if (!obj(got) || !obj(want) || Array.isArray(got) !== Array.isArray(want)) {
    return `${path || "(root)"}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`;
  }
  const g = got as Record<string, unknown>;
  const w = want as Record<string, unknown>;
  for (const k of new Set([...Object.keys(g), ...Object.keys(w)])) {
    const d = difference(g[k], w[k], `${path}.${k}`);
    if (d) return d;
  }
  return undefined;
}

/** Blobs as byte arrays, streams and `$metadata` left out, so values compare with toEqual. */
export async function comparable(value: unknown): Promise<unknown> {
  if (value instanceof Uint8Array) return [...value];
  if (value instanceof Date || value === null || typeof value !== "object") return value;
  const stream = value as { transformToString?: () => Promise<string> };
  if (typeof stream.transformToString === "function") return stream.transformToString();
  if (Array.isArray(value)) return Promise.all(value.map(comparable));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k !== "$metadata" && v !== undefined) out[k] = await comparable(v);
  }
  return out;
}

/** The client-side operation schema the SDK's protocols take, and its input and output schemas. */
export function operationSchema(mod: Record<string, unknown>, name: string) {
  const [, ns, , traits, input, output] = mod[`${name}$`] as [number, string, string, never, never, never];
  return {
    schema: operation(ns, name, traits, input, output),
    input: NormalizedSchema.of(input),
    output: NormalizedSchema.of(output),
  };
}
