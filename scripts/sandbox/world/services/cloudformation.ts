/**
 * AWS CloudFormation: the DR app stack. CreateStack runs CREATE_IN_PROGRESS for app.deploySeconds,
 * then launches the app's instances in the DR subnets (one per tag the integrations need, plus
 * role=app) and exposes LoadBalancerDnsName and HealthUrl outputs. A stack fault fails it halfway.
 */
import { SandboxError } from "../../types.js";
import { invalid, optString, requireString } from "../errors.js";
import {
  type Handlers,
  type Region,
  type Stack,
  type StackEvent,
  TIMINGS,
  type WorldCore,
} from "../model.js";
import { hashHex, splitTag } from "../naming.js";
import { paginate } from "../paging.js";
import { fromTagList, launchInstance, terminate, toTagList } from "./ec2.js";

const ALB_ZONES: Record<string, string> = {
  "us-east-1": "Z35SXDOTRQ7X7K",
  "us-east-2": "Z3AADJGX6KTTL2",
  "us-west-1": "Z368ELLRRE2KJ0",
  "us-west-2": "Z1H1FL5HABSF5",
  "eu-west-1": "Z32O12XQLNTSW2",
  "eu-central-1": "Z215JYRZR1TBD5",
};

const LOGICAL = [
  "AppSecurityGroup",
  "AppLoadBalancer",
  "AppTargetGroup",
  "AppLaunchTemplate",
  "AppInstances",
] as const;
const FAILING = "AppInstances";

export function stackStatus(s: Stack, now: number): string {
  if (s.deletingAt !== undefined && s.deletingAt <= now) {
    return s.deletedAt !== undefined && s.deletedAt <= now ? "DELETE_COMPLETE" : "DELETE_IN_PROGRESS";
  }
  if (s.failAt !== undefined) {
    if (now < s.failAt) return "CREATE_IN_PROGRESS";
    if (s.failStatus === "CREATE_FAILED") return "CREATE_FAILED";
    return now < s.failAt + TIMINGS.stackRollbackSeconds * 1000
      ? "ROLLBACK_IN_PROGRESS"
      : (s.failStatus ?? "ROLLBACK_COMPLETE");
  }
  return s.completeAt !== undefined && now >= s.completeAt ? "CREATE_COMPLETE" : "CREATE_IN_PROGRESS";
}

/** Tags (KEY=VALUE) the stack's instances must carry: role=app plus every EBS attachToTag. */
export function stackInstanceTags(w: WorldCore): string[] {
  const tags = new Set(["role=app"]);
  for (const r of w.scenario.resources) if (r.integrate.attachToTag) tags.add(r.integrate.attachToTag);
  return [...tags];
}

/** Launches the stack's instances once it completed; terminates nothing (DeleteStack does). */
export function settleStacks(w: WorldCore, region: Region, now: number): void {
  for (const s of region.stacks) {
    if (s.materialized || s.completeAt === undefined || s.completeAt > now) continue;
    if (s.deletingAt !== undefined && s.deletingAt <= s.completeAt) continue;
    s.materialized = true;
    const subnets = region.network?.subnetIds ?? [...region.subnets.keys()];
    const base = {
      ...s.tags,
      "aws:cloudformation:stack-name": s.name,
      "aws:cloudformation:stack-id": s.id,
      "aws:cloudformation:logical-id": "AppInstances",
      app: w.app,
    };
    const launch = (tag: string, subnetId: string, n: number) => {
      const [k, v] = splitTag(tag);
      const inst = launchInstance(w, region, s.completeAt as number, {
        subnetId,
        tags: { ...base, [k]: v, Name: `${s.name}-${v || k}-${n}` },
      });
      inst.stackId = s.id;
      s.instanceIds.push(inst.id);
    };
    // Instances carrying the integrations' tags run in the first DR subnet's AZ (where EBS restores go).
    for (const tag of stackInstanceTags(w)) launch(tag, subnets[0] ?? "", 1);
    if (subnets.length > 1) launch("role=app", subnets[1] as string, 2);
  }
}

function findStack(
  region: Region,
  nameOrId: string,
  now: number,
  includeDeleted: boolean,
): Stack | undefined {
  const byId = region.stacks.find((s) => s.id === nameOrId);
  if (byId) return byId;
  const live = [...region.stacks]
    .reverse()
    .find((s) => s.name === nameOrId && stackStatus(s, now) !== "DELETE_COMPLETE");
  if (live || !includeDeleted) return live;
  return undefined;
}

function outputs(w: WorldCore, region: Region, s: Stack) {
  const h = hashHex(s.id).slice(0, 10);
  const lbName = `${s.name.slice(0, 20)}-alb`.replace(/-+$/, "");
  return [
    {
      OutputKey: "LoadBalancerDnsName",
      OutputValue: `${lbName}-${Number.parseInt(h, 16) % 1_000_000_000}.${region.name}.elb.amazonaws.com`,
      Description: "DNS name of the DR application load balancer",
    },
    {
      OutputKey: "LoadBalancerHostedZoneId",
      OutputValue: ALB_ZONES[region.name] ?? `Z${hashHex(region.name).slice(0, 13).toUpperCase()}`,
      Description: "Canonical hosted zone of the load balancer",
    },
    {
      OutputKey: "HealthUrl",
      OutputValue: `http://${w.healthHost}:${w.port}/_sandbox/health/${region.name}/${s.name}`,
      Description: "Application health check URL",
    },
  ];
}

function statusReason(s: Stack, status: string): string | undefined {
  if (status === "ROLLBACK_IN_PROGRESS" || status === "ROLLBACK_COMPLETE" || status === "ROLLBACK_FAILED") {
    return `The following resource(s) failed to create: [${FAILING}]. Rollback requested by user.`;
  }
  if (status === "CREATE_FAILED") return `The following resource(s) failed to create: [${FAILING}]. `;
  if (status === "DELETE_IN_PROGRESS") return "User Initiated";
  void s;
  return undefined;
}

function stackOut(w: WorldCore, region: Region, s: Stack, now: number) {
  const status = stackStatus(s, now);
  const reason = statusReason(s, status);
  return {
    StackId: s.id,
    StackName: s.name,
    Description: `${w.app} DR application stack`,
    Parameters: Object.entries(s.parameters).map(([ParameterKey, ParameterValue]) => ({
      ParameterKey,
      ParameterValue,
    })),
    CreationTime: new Date(s.createdAt),
    ...(s.deletedAt !== undefined && status === "DELETE_COMPLETE"
      ? { DeletionTime: new Date(s.deletedAt) }
      : {}),
    StackStatus: status,
    ...(reason ? { StackStatusReason: reason } : {}),
    DisableRollback: false,
    NotificationARNs: [],
    Capabilities: s.capabilities,
    ...(status === "CREATE_COMPLETE" ? { Outputs: outputs(w, region, s) } : {}),
    Tags: toTagList(s.tags),
    EnableTerminationProtection: false,
    DriftInformation: { StackDriftStatus: "NOT_CHECKED" },
  };
}

/** The stack's events up to now, newest first (as DescribeStackEvents returns them). */
function events(s: Stack, now: number): StackEvent[] {
  const ev: StackEvent[] = [];
  const add = (at: number, logicalId: string, status: string, reason?: string) => {
    const isStack = logicalId === s.name;
    ev.push({
      at,
      logicalId,
      type: isStack
        ? "AWS::CloudFormation::Stack"
        : `AWS::${logicalId === "AppInstances" ? "AutoScaling::AutoScalingGroup" : "EC2::Resource"}`,
      physicalId: isStack
        ? s.id
        : `${s.name}-${logicalId}-${hashHex(s.id, logicalId).slice(0, 12).toUpperCase()}`,
      status,
      ...(reason !== undefined ? { reason } : {}),
    });
  };
  add(s.createdAt, s.name, "CREATE_IN_PROGRESS", "User Initiated");
  const end = s.failAt ?? s.completeAt ?? s.createdAt;
  const span = Math.max(end - s.createdAt, LOGICAL.length * 1000);
  const created: string[] = [];
  LOGICAL.forEach((id, i) => {
    const start = s.createdAt + Math.floor((span * i) / (LOGICAL.length + 1)) + 1000;
    if (start > end) return;
    add(start, id, "CREATE_IN_PROGRESS");
    const done = s.createdAt + Math.floor((span * (i + 1)) / (LOGICAL.length + 1)) + 1000;
    if (s.failAt !== undefined && id === FAILING) {
      add(s.failAt, id, "CREATE_FAILED", s.failReason ?? "Resource creation failed");
    } else if (done <= end) {
      add(Math.min(done, end), id, "CREATE_COMPLETE");
      created.push(id);
    }
  });
  if (s.failAt !== undefined) {
    const status = s.failStatus ?? "ROLLBACK_COMPLETE";
    if (status === "CREATE_FAILED") {
      add(s.failAt, s.name, "CREATE_FAILED", `The following resource(s) failed to create: [${FAILING}]. `);
    } else {
      add(
        s.failAt,
        s.name,
        "ROLLBACK_IN_PROGRESS",
        `The following resource(s) failed to create: [${FAILING}]. Rollback requested by user.`,
      );
      const rbEnd = s.failAt + TIMINGS.stackRollbackSeconds * 1000;
      created.forEach((id, i) => {
        add(s.failAt as number, id, "DELETE_IN_PROGRESS");
        add(
          (s.failAt as number) +
            Math.floor(((rbEnd - (s.failAt as number)) * (i + 1)) / (created.length + 1)),
          id,
          "DELETE_COMPLETE",
        );
      });
      add(rbEnd, s.name, status);
    }
  } else if (s.completeAt !== undefined) {
    add(s.completeAt, s.name, "CREATE_COMPLETE");
  }
  if (s.deletingAt !== undefined) {
    add(s.deletingAt, s.name, "DELETE_IN_PROGRESS", "User Initiated");
    if (s.deletedAt !== undefined) add(s.deletedAt, s.name, "DELETE_COMPLETE");
  }
  return ev.filter((e) => e.at <= now).sort((a, b) => b.at - a.at);
}

const notExist = (name: string) =>
  new SandboxError("ValidationError", `Stack with id ${name} does not exist`, 400);

export const cloudFormationHandlers: Handlers = {
  CreateStack({ world, region, input, now }) {
    const name = requireString("cloudformation", input, "StackName");
    if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(name)) {
      throw invalid(
        "cloudformation",
        `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`,
      );
    }
    const templateUrl = optString(input, "TemplateURL");
    if (!templateUrl && !optString(input, "TemplateBody")) {
      throw invalid("cloudformation", "Either Template URL or Template Body must be specified.");
    }
    const token = optString(input, "ClientRequestToken");
    const existing = findStack(region, name, now, false);
    if (existing) {
      if (token !== undefined && existing.token === token) return { StackId: existing.id };
      throw new SandboxError("AlreadyExistsException", `Stack [${name}] already exists`, 400);
    }
    const parameters: Record<string, string> = {};
    if (Array.isArray(input.Parameters)) {
      for (const p of input.Parameters as { ParameterKey?: string; ParameterValue?: string }[]) {
        if (p.ParameterKey) parameters[p.ParameterKey] = p.ParameterValue ?? "";
      }
    }
    const base = world.scenario.app.stackName;
    const isApp = name === base || name.startsWith(`${base}-`);
    const fault = isApp ? world.faults.takeStack(base) : undefined;
    const deployMs = world.scenario.app.deploySeconds * 1000;
    const stack: Stack = {
      id: `arn:aws:cloudformation:${region.name}:${world.account}:stack/${name}/${world.nextUuid("stack")}`,
      name,
      parameters,
      tags: fromTagList(input.Tags),
      capabilities: Array.isArray(input.Capabilities) ? (input.Capabilities as string[]) : [],
      createdAt: now,
      instanceIds: [],
      materialized: false,
      ...(token !== undefined ? { token } : {}),
      ...(templateUrl !== undefined ? { templateUrl } : {}),
      ...(fault
        ? {
            failAt: now + Math.floor(deployMs / 2),
            failStatus: fault.status,
            failReason:
              fault.reason ??
              `Resource handler returned message: "The requested configuration is currently not supported." (RequestToken: ${world.nextUuid("token")}, HandlerErrorCode: GeneralServiceException)`,
          }
        : { completeAt: now + deployMs }),
    };
    region.stacks.push(stack);
    return { StackId: stack.id };
  },

  DescribeStacks({ world, region, input, now }) {
    const name = optString(input, "StackName");
    if (name !== undefined) {
      const s = findStack(region, name, now, true);
      if (!s) throw notExist(name);
      return { Stacks: [stackOut(world, region, s, now)] };
    }
    const live = region.stacks.filter((s) => stackStatus(s, now) !== "DELETE_COMPLETE");
    const page = paginate(
      live,
      { max: undefined, token: optString(input, "NextToken"), defaultMax: 100, scope: "cfn:stacks" },
      (t) => invalid("cloudformation", `Invalid NextToken ${t}`),
    );
    return {
      Stacks: page.items.map((s) => stackOut(world, region, s, now)),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },

  DescribeStackEvents({ region, input, now }) {
    const name = requireString("cloudformation", input, "StackName");
    const s = findStack(region, name, now, true);
    if (!s) throw notExist(name);
    const page = paginate(
      events(s, now),
      { max: undefined, token: optString(input, "NextToken"), defaultMax: 100, scope: `cfn:events:${s.id}` },
      (t) => invalid("cloudformation", `Invalid NextToken ${t}`),
    );
    return {
      StackEvents: page.items.map((e, i) => ({
        StackId: s.id,
        EventId: `${e.logicalId}-${e.status}-${hashHex(s.id, String(e.at), String(i)).slice(0, 8)}`,
        StackName: s.name,
        LogicalResourceId: e.logicalId,
        PhysicalResourceId: e.physicalId,
        ResourceType: e.type,
        Timestamp: new Date(e.at),
        ResourceStatus: e.status,
        ...(e.reason !== undefined ? { ResourceStatusReason: e.reason } : {}),
      })),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },

  DeleteStack({ region, input, now }) {
    const name = requireString("cloudformation", input, "StackName");
    const s = findStack(region, name, now, true);
    if (!s) return {};
    const status = stackStatus(s, now);
    if (status.startsWith("DELETE_")) return {};
    s.deletingAt = now;
    s.deletedAt = now + TIMINGS.stackDeleteSeconds * 1000;
    for (const id of s.instanceIds) {
      const inst = region.instances.get(id);
      if (inst) terminate(region, inst, now);
    }
    return {};
  },

  ListStacks({ region, input, now }) {
    const filter = Array.isArray(input.StackStatusFilter) ? (input.StackStatusFilter as string[]) : [];
    const list = region.stacks.filter((s) => filter.length === 0 || filter.includes(stackStatus(s, now)));
    return {
      StackSummaries: list.map((s) => ({
        StackId: s.id,
        StackName: s.name,
        CreationTime: new Date(s.createdAt),
        StackStatus: stackStatus(s, now),
      })),
    };
  },
};
