/**
 * Template parameters at CreateStack: the values given must be declared, every declared one needs
 * a value or a Default, and each value must meet the parameter's type and constraints. The
 * messages are CloudFormation's (ValidationError):
 * - "Parameters: [X] do not exist in the template", "Parameters: [X] must have values",
 *   "Parameter values specified for a template which does not require them."
 * - "Parameter 'X' must be one of AllowedValues", "Parameter 'X' must match pattern P"
 *   (a ConstraintDescription replaces the reason).
 * - SSM parameter types are read from Parameter Store when the stack is created:
 *   "Unable to fetch parameters [X] from parameter store for this account."
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/parameters-section-structure.html
 */
import type { Region } from "../model.js";
import { hashHex } from "../naming.js";
import { type ParameterDecl, type Template, validation } from "./parse.js";

export interface ResolvedParameters {
  /** What Ref answers: a string, or a list for list types. */
  refs: Record<string, string | string[]>;
  /** The value as DescribeStacks lists it (the SSM parameter name for SSM types). */
  given: Record<string, string>;
  /** SSM types: the value read from Parameter Store (DescribeStacks ResolvedValue). */
  resolved: Record<string, string>;
}

const isList = (type: string): boolean => /^(CommaDelimitedList|List<.+>)$/.test(type);
const ssmValueType = (type: string): string | undefined =>
  /^AWS::SSM::Parameter::Value<(.+)>$/.exec(type)?.[1];

function checkConstraints(name: string, p: ParameterDecl, value: string): void {
  const fail = (reason: string) => {
    throw validation(`Parameter '${name}' ${p.ConstraintDescription ?? reason}`);
  };
  const items = isList(p.Type) ? value.split(",") : [value];
  for (const item of items) {
    if (p.AllowedValues && !p.AllowedValues.includes(item)) {
      throw validation(`Parameter '${name}' must be one of AllowedValues`);
    }
    if (p.AllowedPattern !== undefined && !new RegExp(`^(?:${p.AllowedPattern})$`).test(item)) {
      fail(`must match pattern ${p.AllowedPattern}`);
    }
    if (p.Type === "Number" || p.Type === "List<Number>") {
      const n = Number(item);
      if (item.trim() === "" || Number.isNaN(n)) fail("must be a number");
      if (p.MinValue !== undefined && n < p.MinValue) fail(`must be a number not less than ${p.MinValue}`);
      if (p.MaxValue !== undefined && n > p.MaxValue) fail(`must be a number not greater than ${p.MaxValue}`);
    }
  }
  if (p.Type === "String") {
    if (p.MinLength !== undefined && value.length < p.MinLength) {
      fail(`must contain at least ${p.MinLength} characters`);
    }
    if (p.MaxLength !== undefined && value.length > p.MaxLength) {
      fail(`must contain at most ${p.MaxLength} characters`);
    }
  }
}

/**
 * An SSM parameter's value. AWS's public parameters (/aws/service/…) exist in every region: the
 * sandbox answers a stable id for them (an AMI id for ami-… paths).
 */
function fromParameterStore(region: Region, name: string): string | undefined {
  const own = region.parameters.get(name)?.value;
  if (own !== undefined) return own;
  if (!name.startsWith("/aws/service/")) return undefined;
  return /ami/.test(name) ? `ami-0${hashHex(region.name, name).slice(0, 16)}` : hashHex(name).slice(0, 12);
}

/** Resolves the stack's parameters; throws ValidationError as CreateStack does. */
export function resolveParameters(
  template: Template,
  given: Record<string, string>,
  region: Region,
): ResolvedParameters {
  const declared = template.Parameters;
  const names = Object.keys(given);
  if (names.length > 0 && Object.keys(declared).length === 0) {
    throw validation("Parameter values specified for a template which does not require them.");
  }
  const undeclared = names.filter((n) => !(n in declared));
  if (undeclared.length > 0) {
    throw validation(`Parameters: [${undeclared.join(", ")}] do not exist in the template`);
  }
  const missing = Object.entries(declared)
    .filter(([n, p]) => given[n] === undefined && p.Default === undefined)
    .map(([n]) => n);
  if (missing.length > 0) throw validation(`Parameters: [${missing.join(", ")}] must have values`);

  const out: ResolvedParameters = { refs: {}, given: {}, resolved: {} };
  const unfetched: string[] = [];
  for (const [name, p] of Object.entries(declared)) {
    const value = given[name] ?? (p.Default as string);
    out.given[name] = value;
    const ssmType = ssmValueType(p.Type);
    if (ssmType !== undefined) {
      const fetched = fromParameterStore(region, value);
      if (fetched === undefined) {
        unfetched.push(value);
        continue;
      }
      out.resolved[name] = fetched;
      out.refs[name] = isList(ssmType) ? fetched.split(",") : fetched;
      continue;
    }
    checkConstraints(name, p, value);
    out.refs[name] = isList(p.Type) ? (value === "" ? [] : value.split(",")) : value;
  }
  if (unfetched.length > 0) {
    throw validation(
      `Unable to fetch parameters [${unfetched.join(",")}] from parameter store for this account.`,
    );
  }
  return out;
}

/** AWS-specific parameter types whose values must name existing resources in the region. */
const EXISTING: Record<string, (region: Region, id: string) => boolean> = {
  "AWS::EC2::VPC::Id": (r, id) => r.vpcs.has(id),
  "AWS::EC2::Subnet::Id": (r, id) => r.subnets.has(id),
  "AWS::EC2::SecurityGroup::Id": (r, id) => r.securityGroups.has(id),
  "AWS::EC2::AvailabilityZone::Name": (r, id) => r.azs.includes(id),
};

/**
 * The first AWS-specific parameter value that names nothing in the region, as the stack's failure
 * reason. CloudFormation checks these once the stack exists and rolls it back ("Parameter validation
 * failed: parameter value X for parameter name Y does not exist. Rollback requested by user.").
 */
export function missingResourceValue(
  template: Template,
  params: ResolvedParameters,
  region: Region,
): string | undefined {
  for (const [name, p] of Object.entries(template.Parameters)) {
    const base = /^List<(.+)>$/.exec(p.Type)?.[1] ?? p.Type;
    const exists = EXISTING[base];
    if (!exists) continue;
    const value = params.refs[name];
    for (const id of Array.isArray(value) ? value : [value ?? ""]) {
      if (!exists(region, id)) {
        return `Parameter validation failed: parameter value ${id} for parameter name ${name} does not exist. Rollback requested by user.`;
      }
    }
  }
  return undefined;
}
