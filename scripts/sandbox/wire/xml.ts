/**
 * XML for the XML protocols: a small parser for request bodies (restXml payloads), a writer, and
 * the schema-driven mapping both ways (xmlName, xmlFlattened, xmlAttribute, list member names such
 * as `member` / `item` / `DBInstance`, map `entry`/`key`/`value`).
 */
import { DATE_TIME, type Member, type Shape } from "./shape.js";
import { DecodeError, type EncodeContext, scalarFromText, scalarToText } from "./values.js";

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (all, e: string) => {
    if (e.startsWith("#x")) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith("#")) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? all;
  });
}

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\r/g, "&#13;");
}

function localName(qname: string): string {
  const i = qname.indexOf(":");
  return i >= 0 ? qname.slice(i + 1) : qname;
}

/** Parses an XML document into its root element (namespace prefixes dropped from element names). */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  const n = xml.length;
  const fail = (msg: string): never => {
    throw new DecodeError(`Malformed XML at offset ${i}: ${msg}`);
  };
  const skipMisc = () => {
    for (;;) {
      while (i < n && /\s/.test(xml[i] ?? "")) i++;
      if (xml.startsWith("<?", i)) {
        const e = xml.indexOf("?>", i);
        if (e < 0) fail("unterminated processing instruction");
        i = e + 2;
      } else if (xml.startsWith("<!--", i)) {
        const e = xml.indexOf("-->", i);
        if (e < 0) fail("unterminated comment");
        i = e + 3;
      } else if (xml.startsWith("<!DOCTYPE", i)) {
        const e = xml.indexOf(">", i);
        if (e < 0) fail("unterminated doctype");
        i = e + 1;
      } else return;
    }
  };
  const parseElement = (): XmlElement => {
    if (xml[i] !== "<") fail("expected <");
    i++;
    const nameMatch = /^[^\s/>]+/.exec(xml.slice(i, i + 256));
    if (!nameMatch) return fail("expected element name");
    const el: XmlElement = { name: localName(nameMatch[0]), attributes: {}, children: [], text: "" };
    i += nameMatch[0].length;
    for (;;) {
      while (i < n && /\s/.test(xml[i] ?? "")) i++;
      if (xml.startsWith("/>", i)) {
        i += 2;
        return el;
      }
      if (xml[i] === ">") {
        i++;
        break;
      }
      const attr = /^([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/.exec(xml.slice(i));
      if (!attr) return fail("bad attribute");
      el.attributes[attr[1] ?? ""] = decodeEntities(attr[3] ?? attr[4] ?? "");
      i += attr[0].length;
    }
    let text = "";
    for (;;) {
      if (i >= n) fail(`unterminated element ${el.name}`);
      if (xml.startsWith("</", i)) {
        const e = xml.indexOf(">", i);
        if (e < 0) fail("unterminated end tag");
        i = e + 1;
        el.text = el.children.length > 0 ? text.trim() : text;
        return el;
      }
      if (xml.startsWith("<![CDATA[", i)) {
        const e = xml.indexOf("]]>", i);
        if (e < 0) fail("unterminated CDATA");
        text += xml.slice(i + 9, e);
        i = e + 3;
      } else if (xml.startsWith("<!--", i)) {
        const e = xml.indexOf("-->", i);
        if (e < 0) fail("unterminated comment");
        i = e + 3;
      } else if (xml[i] === "<") {
        el.children.push(parseElement());
      } else {
        const e = xml.indexOf("<", i);
        const end = e < 0 ? n : e;
        text += decodeEntities(xml.slice(i, end));
        i = end;
      }
    }
  };
  skipMisc();
  const root = parseElement();
  return root;
}

// ---------------------------------------------------------------- decode (request payloads)

function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/** Reads the members of a structure from an element (restXml request bodies). */
export function structFromXml(
  shape: Shape,
  el: XmlElement,
  where: string,
  members: readonly Member[] = shape.members,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of members) {
    const key = m.shape.xmlName(m.name);
    if (m.shape.traits.xmlAttribute) {
      const a = el.attributes[key] ?? Object.entries(el.attributes).find(([k]) => localName(k) === key)?.[1];
      if (a !== undefined) out[m.name] = scalarFromText(m.shape, a, `${where}.${m.name}`);
      continue;
    }
    const nodes = childrenNamed(el, key);
    if (nodes.length === 0) continue;
    out[m.name] = valueFromXml(m.shape, nodes, `${where}.${m.name}`);
  }
  return out;
}

/** Reads a member's value from the elements carrying its name (several when flattened). */
function valueFromXml(shape: Shape, nodes: XmlElement[], where: string): unknown {
  const first = nodes[0] as XmlElement;
  const flat = !!shape.traits.xmlFlattened;
  switch (shape.kind) {
    case "list": {
      const member = shape.member;
      const items = flat
        ? nodes
        : childrenNamed(first, member.traits.xmlName ? String(member.traits.xmlName) : "member");
      return items.map((item, i) => valueFromXml(member, [item], `${where}[${i}]`));
    }
    case "map": {
      const out: Record<string, unknown> = {};
      const keyName = shape.key.traits.xmlName ? String(shape.key.traits.xmlName) : "key";
      const member = shape.member;
      const valueName = member.traits.xmlName ? String(member.traits.xmlName) : "value";
      const entries = flat ? nodes : childrenNamed(first, "entry");
      for (const entry of entries) {
        const k = childrenNamed(entry, keyName)[0]?.text ?? "";
        const v = childrenNamed(entry, valueName);
        if (v.length > 0) out[k] = valueFromXml(member, v, `${where}.${k}`);
      }
      return out;
    }
    case "structure":
    case "union":
      return structFromXml(shape, first, where);
    default:
      return scalarFromText(shape, first.text, where);
  }
}

// ---------------------------------------------------------------- encode (responses)

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
