/**
 * JSON bodies (awsJson1.0/1.1, restJson1) with the SDK's own codec, `JsonCodec2` of
 * `@smithy/core/protocols`, configured as the SDK's AwsJsonRpcProtocol / AwsRestJsonProtocol
 * configure it. The sandbox writes responses with the serializer the clients write requests with
 * (the JSON rules are the same both ways: epoch-second timestamps unless the model says otherwise,
 * base64 blobs, jsonName for restJson1) and reads requests with the deserializer the clients read
 * responses with.
 */
import { type JsonSettings, JsonShapeDeserializer2, JsonShapeSerializer2 } from "@smithy/core/protocols";
import type { DocumentType } from "@smithy/types";
import type { Schema } from "./schema.js";
import { DecodeError } from "./values.js";

const SETTINGS: Record<"rpc" | "rest", JsonSettings> = {
  rpc: { timestampFormat: { useTrait: true, default: 7 }, jsonName: false },
  rest: { timestampFormat: { useTrait: true, default: 7 }, httpBindings: true, jsonName: true },
};

export type JsonFlavor = keyof typeof SETTINGS;

// What JsonCodec2 (the clients' default JSON codec) creates; built directly for their full API (readObject).
const serializers = {
  rpc: new JsonShapeSerializer2(SETTINGS.rpc),
  rest: new JsonShapeSerializer2(SETTINGS.rest),
};
const deserializers = {
  rpc: new JsonShapeDeserializer2(SETTINGS.rpc),
  rest: new JsonShapeDeserializer2(SETTINGS.rest),
};

/** Parses request JSON text; malformed JSON is the protocol's SerializationException (thrown as SyntaxError). */
export function parseJson(text: string): unknown {
  return text.trim() === "" ? {} : JSON.parse(text);
}

/** A parsed JSON request value → the SDK-shaped value of `ns` (types are checked afterwards by conform). */
export function fromJson(flavor: JsonFlavor, ns: Schema, value: unknown, where: string): unknown {
  if (ns.isStructSchema() && (typeof value !== "object" || value === null || Array.isArray(value))) {
    throw new DecodeError(`${where} must be an object`);
  }
  try {
    return deserializers[flavor].readObject(ns, value as DocumentType);
  } catch (e) {
    // Timestamps and blobs the SDK cannot parse (e.g. `"soon"` for an epoch-seconds member).
    throw new DecodeError(`${where}: ${(e as Error).message}`);
  }
}

/** An SDK-shaped value → JSON bytes. */
export function toJson(flavor: JsonFlavor, ns: Schema, value: unknown): Buffer {
  const serializer = serializers[flavor];
  serializer.write(ns, value);
  const out = serializer.flush();
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}
