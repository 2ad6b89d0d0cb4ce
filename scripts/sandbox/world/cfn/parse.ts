/**
 * CloudFormation templates as the service reads them (JSON or YAML, see ./yaml.ts), their
 * structure checked with the messages CloudFormation answers ("Template format error: …",
 * ValidationError).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
 */
import { SandboxError } from "../../types.js";
import { parseBody } from "./yaml.js";

export interface ParameterDecl {
  Type: string;
  Default?: string;
  Description?: string;
  NoEcho?: boolean;
  AllowedValues?: string[];
  AllowedPattern?: string;
  ConstraintDescription?: string;
  MinLength?: number;
  MaxLength?: number;
  MinValue?: number;
  MaxValue?: number;
}

export interface ResourceDecl {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn: string[];
  Condition?: string;
}

export interface OutputDecl {
  Value: unknown;
  Description?: string;
  Condition?: string;
  Export?: unknown;
}

export interface Template {
  Description?: string;
  Parameters: Record<string, ParameterDecl>;
  Mappings: Record<string, Record<string, Record<string, unknown>>>;
  Conditions: Record<string, unknown>;
  Resources: Record<string, ResourceDecl>;
  Outputs: Record<string, OutputDecl>;
  Metadata?: unknown;
}

/** ValidationError with CloudFormation's message. */
export const validation = (message: string): SandboxError =>
  new SandboxError("ValidationError", message, 400);
const formatError = (message: string): SandboxError => validation(`Template format error: ${message}`);

const SECTIONS = new Set([
  "AWSTemplateFormatVersion",
  "Description",
  "Metadata",
  "Parameters",
  "Rules",
  "Mappings",
  "Conditions",
  "Transform",
  "Resources",
  "Outputs",
]);
const PARAMETER_PROPS = new Set([
  "Type",
  "Default",
  "Description",
  "NoEcho",
  "AllowedValues",
  "AllowedPattern",
  "ConstraintDescription",
  "MinLength",
  "MaxLength",
  "MinValue",
  "MaxValue",
]);
/** Parameter types CloudFormation recognizes (AWS-specific ones by their documented forms). */
const PARAMETER_TYPE =
  /^(String|Number|List<Number>|CommaDelimitedList|AWS::[A-Za-z0-9]+::[A-Za-z0-9:]+|List<AWS::[A-Za-z0-9]+::[A-Za-z0-9:]+>|AWS::SSM::Parameter::(Name|Value<.+>))$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const scalarText = (v: unknown): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;

function parameters(raw: unknown): Record<string, ParameterDecl> {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw formatError("Parameters must be an object");
  const out: Record<string, ParameterDecl> = {};
  for (const [name, p] of Object.entries(raw)) {
    if (!isObject(p)) throw formatError(`Invalid template parameter property '${name}'`);
    for (const k of Object.keys(p)) {
      if (!PARAMETER_PROPS.has(k)) throw formatError(`Invalid template parameter property '${k}'`);
    }
    const type = scalarText(p.Type);
    if (type === undefined) throw formatError(`Every Parameters object must contain a Type member.`);
    if (!PARAMETER_TYPE.test(type)) throw formatError(`Unrecognized parameter type: ${type}`);
    if (p.AllowedValues !== undefined && !Array.isArray(p.AllowedValues)) {
      throw formatError("Every AllowedValues member must be a list.");
    }
    const decl: ParameterDecl = { Type: type };
    const def = p.Default === null ? "" : scalarText(p.Default);
    if (def !== undefined) decl.Default = def;
    if (typeof p.Description === "string") decl.Description = p.Description;
    if (p.NoEcho === true || p.NoEcho === "true" || p.NoEcho === "TRUE") decl.NoEcho = true;
    if (Array.isArray(p.AllowedValues)) decl.AllowedValues = p.AllowedValues.map((v) => String(v));
    const text = (k: "AllowedPattern" | "ConstraintDescription") => scalarText(p[k]);
    const num = (k: "MinLength" | "MaxLength" | "MinValue" | "MaxValue") =>
      p[k] === undefined ? undefined : Number(p[k]);
    for (const k of ["AllowedPattern", "ConstraintDescription"] as const) {
      const v = text(k);
      if (v !== undefined) decl[k] = v;
    }
    for (const k of ["MinLength", "MaxLength", "MinValue", "MaxValue"] as const) {
      const v = num(k);
      if (v !== undefined) decl[k] = v;
    }
    out[name] = decl;
  }
  return out;
}

function resources(raw: unknown): Record<string, ResourceDecl> {
  if (!isObject(raw) || Object.keys(raw).length === 0) {
    throw formatError("At least one Resources member must be defined.");
  }
  const out: Record<string, ResourceDecl> = {};
  for (const [id, r] of Object.entries(raw)) {
    if (!/^[A-Za-z0-9]+$/.test(id)) throw formatError(`Resource name ${id} is non alphanumeric.`);
    if (!isObject(r) || typeof r.Type !== "string") {
      throw formatError(`[/Resources/${id}] Every Resources object must contain a Type member.`);
    }
    const deps = r.DependsOn === undefined ? [] : Array.isArray(r.DependsOn) ? r.DependsOn : [r.DependsOn];
    out[id] = {
      Type: r.Type,
      Properties: isObject(r.Properties) ? r.Properties : {},
      DependsOn: deps.map((d) => String(d)),
      ...(typeof r.Condition === "string" ? { Condition: r.Condition } : {}),
    };
  }
  return out;
}

function outputs(raw: unknown): Record<string, OutputDecl> {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw formatError("Outputs must be an object");
  const out: Record<string, OutputDecl> = {};
  for (const [key, o] of Object.entries(raw)) {
    if (!isObject(o) || !("Value" in o)) {
      throw formatError(`Every Outputs member must contain a Value object`);
    }
    out[key] = {
      Value: o.Value,
      ...(typeof o.Description === "string" ? { Description: o.Description } : {}),
      ...(typeof o.Condition === "string" ? { Condition: o.Condition } : {}),
      ...(o.Export !== undefined ? { Export: o.Export } : {}),
    };
  }
  return out;
}

/** Parses and checks a template body; throws ValidationError as CloudFormation words it. */
export function parseTemplate(body: string): Template {
  const raw = parseBody(body);
  if (!isObject(raw)) throw formatError("unsupported structure.");
  const unknown = Object.keys(raw).filter((k) => !SECTIONS.has(k));
  if (unknown.length > 0)
    throw formatError(`Invalid template property or properties [${unknown.join(", ")}]`);
  const conditions = raw.Conditions ?? {};
  if (!isObject(conditions)) throw formatError("Conditions must be an object");
  const mappings = raw.Mappings ?? {};
  if (!isObject(mappings)) throw formatError("Mappings must be an object");
  return {
    ...(typeof raw.Description === "string" ? { Description: raw.Description } : {}),
    ...(raw.Metadata !== undefined ? { Metadata: raw.Metadata } : {}),
    Parameters: parameters(raw.Parameters),
    Mappings: mappings as Template["Mappings"],
    Conditions: conditions,
    Resources: resources(raw.Resources),
    Outputs: outputs(raw.Outputs),
  };
}
