/**
 * Systems Manager managed instances: an EC2 instance becomes a managed instance (its SSM Agent
 * registered, PingStatus Online) app.ssmRegistrationSeconds after it is running, and shows
 * ConnectionLost while it shuts down. DescribeInstanceInformation lists managed instances (not
 * terminated ones), with the model's filters and MaxResults 5..50 (default 10).
 */
import type { InstanceInformation } from "@aws-sdk/client-ssm";
import { SandboxError } from "../../types.js";
import { optNumber, optString, outOfRange } from "../errors.js";
import { type Ssm, serviceHandlers } from "../handlers.js";
import type { Instance, Region, WorldCore } from "../model.js";
import { paginate } from "../paging.js";
import type { OpInput } from "../typed.js";
import { instanceState } from "./ec2.js";

const validation = (msg: string) => new SandboxError("ValidationException", msg, 400);

/** The SSM Agent reports to Systems Manager about every 5 minutes. */
const PING_MS = 300_000;
const AGENT_VERSION = "3.3.1142.0";

/** When the instance registered with Systems Manager (virtual ms). */
export const registeredAt = (w: WorldCore, i: Instance): number =>
  i.readyAt + w.scenario.app.ssmRegistrationSeconds * 1000;

/** Online once registered and running; ConnectionLost while shutting down; undefined when not managed (listed nowhere). */
export function pingStatus(w: WorldCore, i: Instance, now: number): "Online" | "ConnectionLost" | undefined {
  if (now < registeredAt(w, i)) return undefined;
  const state = instanceState(i, now).Name;
  if (state === "running") return "Online";
  if (state === "shutting-down") return "ConnectionLost";
  return undefined;
}

function instanceInfo(w: WorldCore, region: Region, i: Instance, now: number): InstanceInformation {
  const since = registeredAt(w, i);
  const until = Math.min(now, i.deletingAt ?? now);
  return {
    InstanceId: i.id,
    PingStatus: pingStatus(w, i, now),
    LastPingDateTime: new Date(since + Math.floor(Math.max(0, until - since) / PING_MS) * PING_MS),
    AgentVersion: AGENT_VERSION,
    IsLatestVersion: true,
    PlatformType: "Linux",
    PlatformName: "Amazon Linux",
    PlatformVersion: "2023",
    ResourceType: "EC2Instance",
    IPAddress: i.privateIp,
    ComputerName: `ip-${i.privateIp.replace(/\./g, "-")}.${region.name}.compute.internal`,
    SourceId: i.id,
    SourceType: "AWS::EC2::Instance",
  };
}

/** The filter keys DescribeInstanceInformation knows (Filters, and the legacy InstanceInformationFilterList). */
function filterValues(w: WorldCore, i: Instance, now: number, key: string): string[] | undefined {
  if (key.startsWith("tag:")) {
    const v = i.tags[key.slice(4)];
    return v === undefined ? [] : [v];
  }
  const values: Record<string, string[]> = {
    InstanceIds: [i.id],
    SourceIds: [i.id],
    PingStatus: [pingStatus(w, i, now) ?? ""],
    PlatformType: ["Linux"],
    PlatformTypes: ["Linux"],
    ResourceType: ["EC2Instance"],
    SourceTypes: ["AWS::EC2::Instance"],
    AgentVersion: [AGENT_VERSION],
    "tag-key": Object.keys(i.tags),
    ActivationIds: [],
    AssociationStatus: [],
    IamRole: [],
  };
  return values[key];
}

const INSTANCE_ID = /(^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)/;

function informationFilters(
  input: OpInput<Ssm, "DescribeInstanceInformation">,
): { key: string; values: string[] }[] {
  const modern = (input.Filters ?? []).map((f) => ({ key: f.Key ?? "", values: f.Values ?? [] }));
  const legacy = (input.InstanceInformationFilterList ?? []).map((f) => ({
    key: f.key ?? "",
    values: f.valueSet ?? [],
  }));
  if (modern.length > 0 && legacy.length > 0) {
    throw new SandboxError(
      "InvalidFilterKey",
      "InstanceInformationFilterList and Filters can't be used in the same request.",
      400,
    );
  }
  const filters = [...modern, ...legacy];
  for (const f of filters) {
    if (f.values.length === 0 || f.values.length > 100) {
      throw validation(
        `1 validation error detected: Value '[${f.values.join(", ")}]' at 'filters.1.member.values' failed to satisfy constraint: Member must have length ${f.values.length === 0 ? "greater than or equal to 1" : "less than or equal to 100"}`,
      );
    }
    if ((f.key === "InstanceIds" || f.key === "SourceIds") && f.values.some((v) => !INSTANCE_ID.test(v))) {
      throw new SandboxError(
        "InvalidInstanceInformationFilterValue",
        `The filter value isn't valid: ${f.values.join(", ")}`,
        400,
      );
    }
  }
  return filters;
}

export const managedInstanceHandlers = serviceHandlers<Ssm>()({
  DescribeInstanceInformation({ world, region, input, now }) {
    const max = optNumber(input, "MaxResults");
    const bad = outOfRange("ssm", "MaxResults", max, 5, 50);
    if (bad) throw bad;
    const filters = informationFilters(input);
    const list = [...region.instances.values()]
      .filter((i) => pingStatus(world, i, now) !== undefined)
      .filter((i) =>
        filters.every((f) => {
          const values = filterValues(world, i, now, f.key);
          if (values === undefined) {
            throw new SandboxError("InvalidFilterKey", `The filter key ${f.key} isn't valid.`, 400);
          }
          return f.values.some((v) => values.includes(v));
        }),
      )
      .sort((a, b) => a.id.localeCompare(b.id));
    const page = paginate(
      list,
      {
        max,
        token: optString(input, "NextToken"),
        defaultMax: 10,
        scope: `ssm:instances:${JSON.stringify(filters)}`,
      },
      () => new SandboxError("InvalidNextToken", "The specified token isn't valid.", 400),
    );
    return {
      InstanceInformationList: page.items.map((i) => instanceInfo(world, region, i, now)),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },
});
