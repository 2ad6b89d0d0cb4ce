/**
 * awsQuery (RDS, CloudFormation, SNS) and ec2Query (EC2).
 *
 * Requests are form-encoded (`Action`, `Version`, nested members such as `Tags.member.1.Key`,
 * `Filters.Filter.1.Values.Value.1`, `Attributes.entry.1.key`; EC2: `Filter.1.Name`,
 * `Filter.1.Value.1`, `InstanceId.1`). The SDK has only the writer of this format
 * (`QueryShapeSerializer`), so the reader stays hand-written: it walks the input schema with the
 * same key rules (xmlName / ec2QueryName, `member` or flattened lists, `entry` maps).
 *
 * Responses are XML written by the SDK's XmlShapeSerializer: the protocol's envelope
 * (`<OpResponse><OpResult>…</OpResult><ResponseMetadata>`, EC2's `<OpResponse><requestId>…`) is
 * a synthetic structure around the output shape, as the SDK builds synthetic body structures.
 */
import { NormalizedSchema } from "@smithy/core/schema";
import type { Operation, Schema } from "./schema.js";
import { DecodeError, scalarFromText } from "./values.js";
import { structToXml, XML_DECLARATION } from "./xml.js";

export type QueryParams = Map<string, string>;

export function parseForm(text: string): QueryParams {
  const params: QueryParams = new Map();
  for (const [k, v] of new URLSearchParams(text)) params.set(k, v);
  return params;
}

class KeyIndex {
  private readonly prefixes = new Set<string>();
  constructor(readonly params: QueryParams) {
    for (const key of params.keys()) {
      for (let i = key.indexOf("."); i >= 0; i = key.indexOf(".", i + 1)) this.prefixes.add(key.slice(0, i));
    }
  }
  /** True when the key itself or any key below it (`key.…`) is present. */
  has(prefix: string): boolean {
    return this.params.has(prefix) || this.prefixes.has(prefix);
  }
}

const capitalize = (s: string) => (s.length > 0 ? (s[0] as string).toUpperCase() + s.slice(1) : s);

/** The query key of a structure member (QueryShapeSerializer.getKey with keySource "struct"). */
function memberKey(name: string, member: Schema, ec2: boolean): string {
  const traits = member.getMergedTraits();
  const xmlName = traits.xmlName as string | undefined;
  if (ec2) return (traits.ec2QueryName as string | undefined) ?? capitalize(xmlName ?? name);
  return xmlName ?? name;
}

/** Decodes the form parameters of a query request into the SDK input shape. */
export function inputFromQuery(ns: Schema, params: QueryParams, ec2: boolean): Record<string, unknown> {
  return readStruct(ns, new KeyIndex(params), "", ec2);
}

function readStruct(ns: Schema, index: KeyIndex, prefix: string, ec2: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, member] of ns.structIterator()) {
    const key = `${prefix}${memberKey(name, member, ec2)}`;
    if (!index.has(key)) continue;
    const v = readValue(member, index, key, ec2);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

function readValue(ns: Schema, index: KeyIndex, key: string, ec2: boolean): unknown {
  if (ns.isStructSchema()) return readStruct(ns, index, `${key}.`, ec2);
  if (ns.isListSchema()) {
    const member = ns.getValueSchema();
    const itemName = String(member.getMergedTraits().xmlName ?? "member");
    const flatFirst = ec2 || !!ns.getMergedTraits().xmlFlattened;
    // Accept both encodings (wrapped `X.member.N` and flat `X.N`); the model's comes first.
    const candidates = flatFirst ? [`${key}.`, `${key}.${itemName}.`] : [`${key}.${itemName}.`, `${key}.`];
    for (const base of candidates) {
      if (!index.has(`${base}1`)) continue;
      const items: unknown[] = [];
      for (let i = 1; index.has(`${base}${i}`); i++) items.push(readValue(member, index, `${base}${i}`, ec2));
      return items;
    }
    return []; // `Key=` (an empty list) or nothing decodable
  }
  if (ns.isMapSchema()) {
    const member = ns.getValueSchema();
    const keyName = String(ns.getKeySchema().getMergedTraits().xmlName ?? "key");
    const valueName = String(member.getMergedTraits().xmlName ?? "value");
    const out: Record<string, unknown> = {};
    const candidates = ns.getMergedTraits().xmlFlattened
      ? [`${key}.`, `${key}.entry.`]
      : [`${key}.entry.`, `${key}.`];
    for (const base of candidates) {
      if (!index.has(`${base}1`)) continue;
      for (let i = 1; index.has(`${base}${i}`); i++) {
        const k = index.params.get(`${base}${i}.${keyName}`);
        if (k === undefined) throw new DecodeError(`Missing ${base}${i}.${keyName}`);
        out[k] = readValue(member, index, `${base}${i}.${valueName}`, ec2);
      }
      break;
    }
    return out;
  }
  const text = index.params.get(key);
  return text === undefined ? undefined : scalarFromText(ns, text, key);
}

// ---------------------------------------------------------------- responses

const envelopes = new WeakMap<Operation, Schema>();

const RESPONSE_METADATA = [3, "sandbox", "ResponseMetadata", 0, ["RequestId"], [0]];

/**
 * The response document as a structure: awsQuery `<OpResponse>` holding `<OpResult>` (the output
 * shape, absent for unit outputs) and `<ResponseMetadata><RequestId>`; ec2Query `<OpResponse>`
 * holding `<requestId>` and the output members directly (unit outputs: `<return>true</return>`).
 */
function envelope(op: Operation, ec2: boolean): Schema {
  let ns = envelopes.get(op);
  if (ns) return ns;
  const output = op.output.isStructSchema() ? (op.output.getSchema() as unknown[]) : undefined;
  const names: string[] = [];
  const schemas: unknown[] = [];
  if (ec2) {
    names.push("requestId");
    schemas.push(0);
    if (output) {
      names.push(...(output[4] as string[]));
      schemas.push(...(output[5] as unknown[]));
    } else {
      names.push("return");
      schemas.push(2);
    }
  } else {
    if (output) {
      names.push(`${op.name}Result`);
      schemas.push([output, 0]);
    }
    names.push("ResponseMetadata");
    schemas.push(RESPONSE_METADATA);
  }
  ns = NormalizedSchema.of([3, "sandbox", `${op.name}Response`, 0, names, schemas] as never);
  envelopes.set(op, ns);
  return ns;
}

/** The XML document of a successful awsQuery / ec2Query response. */
export function queryResponse(
  op: Operation,
  output: Record<string, unknown>,
  xmlns: string,
  requestId: string,
  ec2: boolean,
): string {
  const value = ec2
    ? { ...(op.output.isStructSchema() ? output : { return: true }), requestId }
    : { [`${op.name}Result`]: output, ResponseMetadata: { RequestId: requestId } };
  return XML_DECLARATION + structToXml(envelope(op, ec2), value, xmlns);
}
