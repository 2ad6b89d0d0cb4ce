/**
 * awsQuery (RDS, CloudFormation, SNS) and ec2Query (EC2): form-encoded requests
 * (`Action`, `Version`, nested members such as `Tags.member.1.Key`, `Filters.Filter.1.Values.Value.1`,
 * `Attributes.entry.1.key`; EC2: `Filter.1.Name`, `Filter.1.Value.1`, `InstanceId.1`) decoded by
 * walking the input schema; responses rendered as XML with the model's element names.
 */

import { structBodyToXml } from "./query-xml.js";
import type { Shape } from "./shape.js";
import { checkNoOutput, DecodeError, type EncodeContext, scalarFromText } from "./values.js";
import { escapeXml } from "./xml.js";

export type QueryParams = Map<string, string>;

export function parseForm(text: string): QueryParams {
  const params: QueryParams = new Map();
  for (const [k, v] of new URLSearchParams(text)) params.set(k, v);
  return params;
}

class KeyIndex {
  private readonly keys: string[];
  constructor(readonly params: QueryParams) {
    this.keys = [...params.keys()];
  }
  /** True when the key itself or any key below it (`key.…`) is present. */
  has(prefix: string): boolean {
    if (this.params.has(prefix)) return true;
    const p = `${prefix}.`;
    return this.keys.some((k) => k.startsWith(p));
  }
}

function capitalize(s: string): string {
  return s.length > 0 ? (s[0] as string).toUpperCase() + s.slice(1) : s;
}

/** The query key of a structure member. */
function memberKey(name: string, shape: Shape, ec2: boolean): string {
  const xmlName = shape.memberTraits.xmlName as string | undefined;
  if (ec2) {
    const q = shape.memberTraits.ec2QueryName as string | undefined;
    return q ?? capitalize(xmlName ?? name);
  }
  return xmlName ?? name;
}

/** Decodes the form parameters of a query request into the SDK input shape. */
export function inputFromQuery(shape: Shape, params: QueryParams, ec2: boolean): Record<string, unknown> {
  const index = new KeyIndex(params);
  return readStruct(shape, index, "", ec2);
}

function readStruct(shape: Shape, index: KeyIndex, prefix: string, ec2: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of shape.members) {
    const key = `${prefix}${memberKey(m.name, m.shape, ec2)}`;
    if (!index.has(key)) continue;
    const v = readValue(m.shape, index, key, ec2);
    if (v !== undefined) out[m.name] = v;
  }
  return out;
}

function readValue(shape: Shape, index: KeyIndex, key: string, ec2: boolean): unknown {
  switch (shape.kind) {
    case "structure":
    case "union":
      return readStruct(shape, index, `${key}.`, ec2);
    case "list": {
      const member = shape.member;
      const itemName = member.traits.xmlName ? String(member.traits.xmlName) : "member";
      const flatFirst = ec2 || !!shape.traits.xmlFlattened;
      // Accept both encodings (wrapped `X.member.N` and flat `X.N`); the model's comes first.
      const candidates = flatFirst ? [`${key}.`, `${key}.${itemName}.`] : [`${key}.${itemName}.`, `${key}.`];
      for (const base of candidates) {
        if (!index.has(`${base}1`)) continue;
        const items: unknown[] = [];
        for (let i = 1; index.has(`${base}${i}`); i++)
          items.push(readValue(member, index, `${base}${i}`, ec2));
        return items;
      }
      return []; // `Key=` (an empty list) or nothing decodable
    }
    case "map": {
      const member = shape.member;
      const keyName = shape.key.traits.xmlName ? String(shape.key.traits.xmlName) : "key";
      const valueName = member.traits.xmlName ? String(member.traits.xmlName) : "value";
      const out: Record<string, unknown> = {};
      const candidates = shape.traits.xmlFlattened
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
    default: {
      const text = index.params.get(key);
      if (text === undefined) return undefined;
      return scalarFromText(shape.ns, text, key);
    }
  }
}

/** The XML members of a structure output; undefined (after checking nothing was returned) for none. */
function outputBody(
  operation: string,
  output: Shape,
  value: Record<string, unknown>,
  ctx: EncodeContext,
): string | undefined {
  if (output.kind === "structure") return structBodyToXml(output, value, operation, ctx).body;
  checkNoOutput(operation, value, ctx);
  return undefined;
}

/** `<XResponse xmlns><XResult>…</XResult><ResponseMetadata><RequestId/></ResponseMetadata></XResponse>` */
export function awsQueryResponse(
  operation: string,
  output: Shape,
  value: Record<string, unknown>,
  xmlns: string,
  requestId: string,
  ctx: EncodeContext,
): string {
  const body = outputBody(operation, output, value, ctx);
  const result = body === undefined ? "" : `<${operation}Result>${body}</${operation}Result>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="${escapeXml(xmlns)}">${result}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`
  );
}

/** `<XResponse xmlns><requestId/>…members…</XResponse>` (unit outputs carry `<return>true</return>`). */
export function ec2Response(
  operation: string,
  output: Shape,
  value: Record<string, unknown>,
  xmlns: string,
  requestId: string,
  ctx: EncodeContext,
): string {
  const body = outputBody(operation, output, value, ctx) ?? "<return>true</return>";
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="${escapeXml(xmlns)}">` +
    `<requestId>${requestId}</requestId>${body}</${operation}Response>`
  );
}
