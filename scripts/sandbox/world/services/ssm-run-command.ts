/**
 * AWS Systems Manager Run Command: SendCommand takes at most 50 instance ids and only managed
 * instances (ssm-instances.ts): any other id makes the whole call answer InvalidInstanceId,
 * synchronously. A command that mounts EFS needs a mount target in the instance's AZ.
 */
import { SandboxError } from "../../types.js";
import { optString, requireString, stringList } from "../errors.js";
import { type Ssm, serviceHandlers } from "../handlers.js";
import { type Command, type Region, TIMINGS, type WorldCore } from "../model.js";
import { fsState, mountTargetState } from "./efs.js";
import { pingStatus } from "./ssm-instances.js";

const validation = (msg: string) => new SandboxError("ValidationException", msg, 400);

/** SendCommand: InstanceIds per call (model: InstanceIdList max 50). */
const MAX_COMMAND_INSTANCES = 50;

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

export const runCommandHandlers = serviceHandlers<Ssm>()({
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
    if (ids.length > MAX_COMMAND_INSTANCES) {
      throw validation(
        `1 validation error detected: Value '[${ids.join(", ")}]' at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to ${MAX_COMMAND_INSTANCES}`,
      );
    }
    // Only managed instances take commands; AWS refuses the whole call (synchronously) otherwise.
    const bad = ids.filter((id) => {
      const i = region.instances.get(id);
      return !i || pingStatus(world, i, now) !== "Online";
    });
    if (bad.length > 0) {
      throw new SandboxError(
        "InvalidInstanceId",
        `Instances [[${bad.join(", ")}]] not in a valid state for account ${world.account}`,
        400,
      );
    }
    const commands = input.Parameters?.commands ?? [];
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
});
