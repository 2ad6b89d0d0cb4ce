/**
 * XML bodies (restXml; the members of awsQuery and ec2Query responses) with the SDK's own codec,
 * `XmlShapeSerializer` / `XmlShapeDeserializer` of `@aws-sdk/core/protocols`: element names
 * (xmlName), flattened lists and maps, list `member` / `item` names, map `entry`/`key`/`value`,
 * attributes and namespaces all follow the model exactly as the clients read and write them.
 */
import { type XmlSettings, XmlShapeDeserializer, XmlShapeSerializer } from "@aws-sdk/core/protocols";
import type { Schema } from "./schema.js";
import { DecodeError } from "./values.js";

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\r/g, "&#13;");
}

/** Settings as the SDK's AwsRestXmlProtocol (timestamps default to date-time, bindings on) and AwsQueryProtocol use them. */
function settings(xmlNamespace: string, httpBindings: boolean): XmlSettings {
  return {
    timestampFormat: { useTrait: true, default: 5 },
    httpBindings,
    xmlNamespace,
    serviceNamespace: "",
  };
}

const serializers = new Map<string, XmlShapeSerializer>();
const deserializer = new XmlShapeDeserializer(settings("", true));

/**
 * A structure value → its XML element, named by the schema (`xmlName` trait or shape name), with
 * `xmlns` on the root when given (restXml bodies; the awsQuery `<OpResult>` has none).
 */
export function structToXml(ns: Schema, value: unknown, xmlns = ""): string {
  let serializer = serializers.get(xmlns);
  if (!serializer) {
    serializer = new XmlShapeSerializer(settings(xmlns, true));
    serializers.set(xmlns, serializer);
  }
  serializer.write(ns, value);
  return String(serializer.flush());
}

/** An XML request body → the SDK-shaped value of `ns` (a structure; types are checked afterwards by conform). */
export function structFromXml(ns: Schema, text: string, where: string): Record<string, unknown> {
  try {
    return (deserializer.read(ns, text) ?? {}) as Record<string, unknown>;
  } catch (e) {
    throw new DecodeError(`Malformed XML in ${where}: ${(e as Error).message}`);
  }
}
