/**
 * Template text to plain values: JSON, or YAML with the short-form intrinsic tags (!Ref, !GetAtt,
 * !Sub, …) registered as the `yaml` package's custom tags and turned into their long form
 * ({"Fn::Sub": …}), as CloudFormation reads them.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
 */
import { isAlias, isMap, isScalar, isSeq, type Node, parseDocument, type Tags } from "yaml";
import { SandboxError } from "../../types.js";

const formatError = (message: string): SandboxError =>
  new SandboxError("ValidationError", `Template format error: ${message}`, 400);

/** Short-form tags: `!Ref`/`!Condition` stand for Ref/Condition, the others for Fn::<Name>. */
const SHORT = [
  "Ref",
  "Condition",
  "GetAtt",
  "Sub",
  "Join",
  "Select",
  "Split",
  "GetAZs",
  "If",
  "Equals",
  "Not",
  "And",
  "Or",
  "FindInMap",
  "Base64",
  "Cidr",
  "ImportValue",
  "Length",
  "ToJsonString",
] as const;
const longName = (short: string): string =>
  short === "Ref" || short === "Condition" ? short : `Fn::${short}`;

/** Every short-form tag on a scalar, a sequence and a mapping; the node keeps its tag for toValue. */
const CUSTOM_TAGS: Tags = SHORT.flatMap((name) => [
  { tag: `!${name}`, resolve: (s: string) => s },
  { tag: `!${name}`, collection: "seq" as const, resolve: (n: unknown) => n as Node },
  { tag: `!${name}`, collection: "map" as const, resolve: (n: unknown) => n as Node },
]) as Tags;

function toValue(node: unknown, resolveAlias: (n: unknown) => unknown): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return toValue(resolveAlias(node), resolveAlias);
  let value: unknown;
  if (isScalar(node)) value = node.value;
  else if (isSeq(node)) value = node.items.map((i) => toValue(i, resolveAlias));
  else if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      out[String(toValue(pair.key, resolveAlias))] = toValue(pair.value, resolveAlias);
    }
    value = out;
  } else return node;
  const tag = (node as { tag?: string }).tag;
  const short = tag?.startsWith("!") ? tag.slice(1) : undefined;
  if (short === undefined || !(SHORT as readonly string[]).includes(short)) return value;
  if (short === "GetAtt" && typeof value === "string") {
    const dot = value.indexOf(".");
    return { "Fn::GetAtt": dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [longName(short)]: value };
}

/** Parses a template body (JSON or YAML) into plain values, short forms expanded. */
export function parseBody(body: string): unknown {
  const trimmed = body.trimStart();
  if (trimmed.startsWith("{")) {
    try {
      return JSON.parse(body);
    } catch (e) {
      const m = /position (\d+)/.exec((e as Error).message);
      const pos = m ? Number(m[1]) : 0;
      const before = body.slice(0, pos).split("\n");
      throw formatError(
        `JSON not well-formed. (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`,
      );
    }
  }
  const doc = parseDocument(body, { customTags: CUSTOM_TAGS, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const [line, col] = err.linePos?.[0] ? [err.linePos[0].line, err.linePos[0].col] : [1, 1];
    throw formatError(`YAML not well-formed. (line ${line}, column ${col})`);
  }
  return toValue(doc.contents, (n) => (isAlias(n) ? n.resolve(doc) : n));
}
