/** AWS Systems Manager: parameters, Run Command (mounts on the DR instances), OpsItems. */
import { SandboxError } from "../../types.js";
import { optBool, optNumber, optString, outOfRange, requireString, stringList } from "../errors.js";
import {
  type Command,
  type Handlers,
  type Parameter,
  type Region,
  TIMINGS,
  type WorldCore,
} from "../model.js";
import { paginate } from "../paging.js";
import { instanceState } from "./ec2.js";
import { fsState, mountTargetState } from "./efs.js";

const notFound = (name: string) => new SandboxError("ParameterNotFound", `Parameter ${name} not found.`, 400);
const validation = (msg: string) => new SandboxError("ValidationException", msg, 400);

function paramOut(w: WorldCore, region: Region, p: Parameter) {
  return {
    Name: p.name,
    Type: p.type,
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
    (name.includes("/") && !name.startsWith("/"))
  ) {
    throw validation(
      `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_ (got ${name})`,
    );
  }
}

/** The parameter a tagging call's ResourceId names (InvalidResourceId when there is none). */
function taggedParameter(region: Region, input: Record<string, unknown>): Parameter {
  const p = region.parameters.get(requireString("ssm", input, "ResourceId"));
  if (!p)
    throw new SandboxError(
      "InvalidResourceId",
      "The resource ID isn't valid. Verify that you entered the correct ID and try again.",
      400,
    );
  return p;
}

/** What a command does on one instance: mounts need the file system's mount target in the instance's AZ. */
function runOn(
  w: WorldCore,
  region: Region,
  instanceId: string,
  commands: string[],
  at: number,
): Command["results"][string] {
  const inst = region.instances.get(instanceId);
  const fsIds = [...new Set(commands.join("\n").match(/fs-[0-9a-f]{8,17}/g) ?? [])];
  for (const fsId of fsIds) {
    const fs = region.fileSystems.get(fsId);
    const dnsName = `${fsId}.efs.${region.name}.amazonaws.com`;
    if (!fs || fsState(fs, at) !== "available") {
      return {
        status: "Failed",
        stdout: "",
        stderr: `mount.nfs4: Failed to resolve server ${dnsName}: Name or service not known\n`,
      };
    }
    const mt = [...region.mountTargets.values()].find(
      (m) => m.fileSystemId === fsId && m.az === inst?.az && mountTargetState(m, at) === "available",
    );
    if (!mt) {
      return {
        status: "Failed",
        stdout: "",
        stderr: `mount.nfs4: Connection timed out (no available mount target of ${fsId} in ${inst?.az ?? "?"})\n`,
      };
    }
  }
  void w;
  return {
    status: "Success",
    stdout: fsIds.length ? fsIds.map((id) => `mounted ${id}\n`).join("") : "",
    stderr: "",
  };
}

export const ssmHandlers: Handlers = {
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
    const tags = Array.isArray(input.Tags) ? (input.Tags as { Key?: string; Value?: string }[]) : [];
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
    if (value.length > 4096)
      throw validation("Standard tier parameters support a maximum parameter value of 4096 characters.");
    const existing = region.parameters.get(name);
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
    return { Version: version, Tier: "Standard" };
  },

  DeleteParameter({ region, input }) {
    const name = requireString("ssm", input, "Name");
    if (!region.parameters.delete(name)) throw notFound(name);
    return {};
  },

  DeleteParameters({ region, input }) {
    const names = stringList(input, "Names");
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
    for (const t of (input.Tags as { Key?: string; Value?: string }[] | undefined) ?? [])
      p.tags[t.Key ?? ""] = t.Value ?? "";
    return {};
  },

  ListTagsForResource({ region, input }) {
    const p = taggedParameter(region, input);
    return { TagList: Object.entries(p.tags).map(([Key, Value]) => ({ Key, Value })) };
  },

  SendCommand({ world, region, input, now }) {
    const document = requireString("ssm", input, "DocumentName");
    if (document !== "AWS-RunShellScript") {
      throw new SandboxError(
        "InvalidDocument",
        `Document ${document} does not exist in the drctl sandbox (AWS-RunShellScript only)`,
        400,
      );
    }
    const ids = stringList(input, "InstanceIds");
    if (ids.length === 0) throw validation("InstanceIds or Targets must be specified");
    const bad = ids.filter((id) => {
      const i = region.instances.get(id);
      return !i || instanceState(i, now).Name !== "running";
    });
    if (bad.length > 0) {
      throw new SandboxError(
        "InvalidInstanceId",
        `Instances [[${bad.join(", ")}]] not in a valid state for account ${world.account}`,
        400,
      );
    }
    const params = (input.Parameters ?? {}) as Record<string, unknown>;
    const commands = Array.isArray(params.commands) ? (params.commands as unknown[]).map(String) : [];
    if (commands.length === 0)
      throw new SandboxError("InvalidParameters", 'Parameter "commands" is required.', 400);
    const doneAt = now + TIMINGS.commandSeconds * 1000;
    const cmd: Command = {
      id: world.nextUuid("command"),
      document,
      comment: optString(input, "Comment") ?? "",
      instanceIds: ids,
      commands,
      requestedAt: now,
      doneAt,
      results: Object.fromEntries(ids.map((id) => [id, runOn(world, region, id, commands, doneAt)])),
    };
    region.commands.set(cmd.id, cmd);
    if (region === world.recovery)
      region.integrationMarks.push({ calledAt: now, doneAt, what: `command ${cmd.id}` });
    return {
      Command: {
        CommandId: cmd.id,
        DocumentName: document,
        DocumentVersion: "$DEFAULT",
        Comment: cmd.comment,
        Parameters: { commands },
        InstanceIds: ids,
        Targets: [],
        RequestedDateTime: new Date(now),
        Status: "Pending",
        TargetCount: ids.length,
        CompletedCount: 0,
        ErrorCount: 0,
        DeliveryTimedOutCount: 0,
        MaxConcurrency: "50",
        MaxErrors: "0",
        TimeoutSeconds: 3600,
      },
    };
  },

  GetCommandInvocation({ region, input, now }) {
    const commandId = requireString("ssm", input, "CommandId");
    const instanceId = requireString("ssm", input, "InstanceId");
    const cmd = region.commands.get(commandId);
    const result = cmd?.results[instanceId];
    if (!cmd || !result) throw new SandboxError("InvocationDoesNotExist", "", 400);
    const done = now >= cmd.doneAt;
    const status = done ? result.status : "InProgress";
    return {
      CommandId: commandId,
      InstanceId: instanceId,
      Comment: cmd.comment,
      DocumentName: cmd.document,
      DocumentVersion: "$DEFAULT",
      PluginName: "aws:runShellScript",
      ResponseCode: done ? (result.status === "Success" ? 0 : 32) : -1,
      ExecutionStartDateTime: new Date(cmd.requestedAt + 1000).toISOString(),
      ...(done
        ? {
            ExecutionElapsedTime: `PT${TIMINGS.commandSeconds}S`,
            ExecutionEndDateTime: new Date(cmd.doneAt).toISOString(),
          }
        : {}),
      Status: status,
      StatusDetails: status,
      StandardOutputContent: done ? result.stdout : "",
      StandardErrorContent: done ? result.stderr : "",
      CloudWatchOutputConfig: { CloudWatchLogGroupName: "", CloudWatchOutputEnabled: false },
    };
  },

  CreateOpsItem({ world, region, input, now }) {
    const title = requireString("ssm", input, "Title");
    const description = requireString("ssm", input, "Description");
    const source = requireString("ssm", input, "Source");
    const id = `oi-${world.nextHex("opsitem", 12)}`;
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(
      (input.OperationalData ?? {}) as Record<string, { Value?: string }>,
    )) {
      data[k] = v?.Value ?? "";
    }
    region.opsItems.push({
      id,
      arn: `arn:aws:ssm:${region.name}:${world.account}:opsitem/${id}`,
      title,
      description,
      source,
      operationalData: data,
      createdAt: now,
      ...(optString(input, "Severity") !== undefined
        ? { severity: optString(input, "Severity") as string }
        : {}),
      ...(optString(input, "Category") !== undefined
        ? { category: optString(input, "Category") as string }
        : {}),
    });
    return { OpsItemId: id, OpsItemArn: `arn:aws:ssm:${region.name}:${world.account}:opsitem/${id}` };
  },
};
