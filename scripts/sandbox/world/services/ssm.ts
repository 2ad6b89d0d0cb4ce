/** AWS Systems Manager: parameters and OpsItems; Run Command and managed instances in ssm-run-command.ts. */
import type { ParameterType, Parameter as SsmParameter } from "@aws-sdk/client-ssm";
import { SandboxError } from "../../types.js";
import { optBool, optNumber, optString, outOfRange, requireString, stringList } from "../errors.js";
import { type Ssm, serviceHandlers } from "../handlers.js";
import type { Parameter, Region, WorldCore } from "../model.js";
import { paginate } from "../paging.js";
import { managedInstanceHandlers } from "./ssm-instances.js";
import { runCommandHandlers } from "./ssm-run-command.js";

const notFound = (name: string) => new SandboxError("ParameterNotFound", `Parameter ${name} not found.`, 400);
const validation = (msg: string) => new SandboxError("ValidationException", msg, 400);

function paramOut(w: WorldCore, region: Region, p: Parameter): SsmParameter {
  return {
    Name: p.name,
    // PutParameter stores only String, StringList or SecureString (it refuses any other Type).
    Type: p.type as ParameterType,
    Value: p.value,
    Version: p.version,
    LastModifiedDate: new Date(p.modifiedAt),
    ARN: `arn:aws:ssm:${region.name}:${w.account}:parameter${p.name.startsWith("/") ? "" : "/"}${p.name}`,
    DataType: "text",
  };
}

function checkName(name: string): void {
  if (
    name.length > 2048 ||
    !/^[A-Za-z0-9_.\-/]+$/.test(name) ||
    (name.includes("/") && !name.startsWith("/")) ||
    /^\/?(aws|ssm)/i.test(name)
  ) {
    throw validation(
      `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_ (got ${name})`,
    );
  }
}

/** The parameter a tagging call's ResourceId names (InvalidResourceId when there is none). */
function taggedParameter(region: Region, input: { ResourceId: string | undefined }): Parameter {
  const p = region.parameters.get(requireString("ssm", input, "ResourceId"));
  if (!p)
    throw new SandboxError(
      "InvalidResourceId",
      "The resource ID isn't valid. Verify that you entered the correct ID and try again.",
      400,
    );
  return p;
}

export const ssmHandlers = serviceHandlers<Ssm>()({
  ...managedInstanceHandlers,
  ...runCommandHandlers,

  GetParameter({ world, region, input }) {
    const name = requireString("ssm", input, "Name");
    const p = region.parameters.get(name.split(":")[0] ?? name);
    if (!p) throw notFound(name);
    return { Parameter: paramOut(world, region, p) };
  },

  PutParameter({ world, region, input, now }) {
    const name = requireString("ssm", input, "Name");
    const value = requireString("ssm", input, "Value");
    checkName(name);
    const overwrite = optBool(input, "Overwrite") ?? false;
    const tags = input.Tags ?? [];
    if (overwrite && tags.length > 0) {
      throw validation(
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
      );
    }
    const type = optString(input, "Type");
    if (type !== undefined && !["String", "StringList", "SecureString"].includes(type)) {
      throw validation(
        `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`,
      );
    }
    const existing = region.parameters.get(name);
    if (!existing && type === undefined)
      throw validation("A parameter type is required when you create a parameter.");
    // 4 KB in the standard tier (the default tier setting); Tier Advanced takes 8 KB.
    const tier = optString(input, "Tier") === "Advanced" ? "Advanced" : "Standard";
    if (tier === "Standard" && value.length > 4096)
      throw validation(
        "Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html",
      );
    if (existing && !overwrite) {
      throw new SandboxError(
        "ParameterAlreadyExists",
        "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
        400,
      );
    }
    const version = (existing?.version ?? 0) + 1;
    const description = optString(input, "Description") ?? existing?.description;
    region.parameters.set(name, {
      name,
      type: type ?? existing?.type ?? "String",
      value,
      version,
      modifiedAt: now,
      tags: existing?.tags ?? Object.fromEntries(tags.map((t) => [t.Key ?? "", t.Value ?? ""])),
      ...(description !== undefined ? { description } : {}),
    });
    if (region === world.recovery)
      region.integrationMarks.push({ calledAt: now, doneAt: now, what: `put ${name}` });
    return { Version: version, Tier: tier };
  },

  DeleteParameter({ region, input }) {
    const name = requireString("ssm", input, "Name");
    if (!region.parameters.delete(name)) throw notFound(name);
    return {};
  },

  DeleteParameters({ region, input }) {
    const names = stringList(input, "Names");
    if (names.length > 10) {
      throw validation(
        `1 validation error detected: Value '[${names.join(", ")}]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10`,
      );
    }
    const deleted = names.filter((n) => region.parameters.delete(n));
    return { DeletedParameters: deleted, InvalidParameters: names.filter((n) => !deleted.includes(n)) };
  },

  GetParametersByPath({ world, region, input }) {
    const path = requireString("ssm", input, "Path");
    if (!path.startsWith("/"))
      throw validation(
        `The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash "/". (got ${path})`,
      );
    const recursive = optBool(input, "Recursive") ?? false;
    const max = optNumber(input, "MaxResults");
    const bad = outOfRange("ssm", "MaxResults", max, 1, 10);
    if (bad) throw bad;
    const base = path.endsWith("/") ? path : `${path}/`;
    const list = [...region.parameters.values()]
      .filter((p) => p.name.startsWith(base) && (recursive || !p.name.slice(base.length).includes("/")))
      .sort((a, b) => a.name.localeCompare(b.name));
    const page = paginate(
      list,
      { max, token: optString(input, "NextToken"), defaultMax: 10, scope: `ssm:path:${base}:${recursive}` },
      () => new SandboxError("InvalidNextToken", "The specified token isn't valid.", 400),
    );
    return {
      Parameters: page.items.map((p) => paramOut(world, region, p)),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },

  AddTagsToResource({ region, input }) {
    const p = taggedParameter(region, input);
    for (const t of input.Tags ?? []) p.tags[t.Key ?? ""] = t.Value ?? "";
    return {};
  },

  ListTagsForResource({ region, input }) {
    const p = taggedParameter(region, input);
    return { TagList: Object.entries(p.tags).map(([Key, Value]) => ({ Key, Value })) };
  },

  CreateOpsItem({ world, region, input, now }) {
    const title = requireString("ssm", input, "Title");
    const description = requireString("ssm", input, "Description");
    const source = requireString("ssm", input, "Source");
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(input.OperationalData ?? {})) data[k] = v?.Value ?? "";
    // Deduplication: no new OpsItem while one with the same dedup string is open (all are, here).
    const dedup = dedupString(data);
    const open = dedup && region.opsItems.find((o) => dedupString(o.operationalData) === dedup);
    if (open) {
      const err = new SandboxError("OpsItemAlreadyExistsException", "The OpsItem already exists.", 400);
      err.members = { OpsItemId: open.id };
      throw err;
    }
    const id = `oi-${world.nextHex("opsitem", 12)}`;
    const arn = `arn:aws:ssm:${region.name}:${world.account}:opsitem/${id}`;
    const severity = optString(input, "Severity");
    const category = optString(input, "Category");
    region.opsItems.push({
      id,
      arn,
      title,
      description,
      source,
      operationalData: data,
      createdAt: now,
      ...(severity !== undefined ? { severity } : {}),
      ...(category !== undefined ? { category } : {}),
    });
    return { OpsItemId: id, OpsItemArn: arn };
  },
});

/** The `dedupString` of OperationalData's `/aws/dedup` (JSON), if any. */
function dedupString(data: Record<string, string>): string | undefined {
  try {
    const d = JSON.parse(data["/aws/dedup"] ?? "null") as { dedupString?: unknown } | null;
    return typeof d?.dedupString === "string" ? d.dedupString : undefined;
  } catch {
    return undefined;
  }
}
