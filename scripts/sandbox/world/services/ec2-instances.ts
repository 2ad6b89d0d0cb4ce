/** Amazon EC2 instances: DescribeInstances, DescribeInstanceStatus, TerminateInstances. */
import type { _InstanceType, Instance as Ec2Instance, InstanceStatusSummary } from "@aws-sdk/client-ec2";
import { SandboxError } from "../../types.js";
import { optBool, stringList } from "../errors.js";
import { type Ec2, type HandlerCtx, serviceHandlers } from "../handlers.js";
import type { Instance, Region } from "../model.js";
import { azIdOf, hashHex } from "../naming.js";
import { checkStatusIds, describePage, filtersOf, matches } from "./ec2-describe.js";
import { attachmentState, getInstances, instanceState, terminate } from "./ec2-state.js";
import { toTagList } from "./tags.js";

/** Every sandbox instance is EBS-backed with its root volume on this device. */
export const ROOT_DEVICE = "/dev/xvda";

function instanceOut(region: Region, i: Instance, now: number): Ec2Instance {
  const volumes = [...region.volumes.values()].filter(
    (v) => v.attachment?.instanceId === i.id && attachmentState(v, now),
  );
  return {
    InstanceId: i.id,
    ImageId: i.imageId,
    // The type the instance was launched with (RunInstances or restore metadata): one EC2 knows.
    InstanceType: i.instanceType as _InstanceType,
    State: instanceState(i, now),
    Placement: { AvailabilityZone: i.az, Tenancy: "default" },
    SubnetId: i.subnetId,
    VpcId: i.vpcId,
    PrivateIpAddress: i.privateIp,
    PrivateDnsName: `ip-${i.privateIp.replace(/\./g, "-")}.${region.name}.compute.internal`,
    LaunchTime: new Date(i.createdAt),
    Architecture: "x86_64",
    Hypervisor: "xen",
    RootDeviceName: ROOT_DEVICE,
    RootDeviceType: "ebs",
    SecurityGroups: i.sgIds.map((id) => ({
      GroupId: id,
      GroupName: region.securityGroups.get(id)?.name ?? id,
    })),
    BlockDeviceMappings: volumes.map((v) => ({
      DeviceName: v.attachment?.device,
      Ebs: {
        VolumeId: v.id,
        Status: attachmentState(v, now),
        AttachTime: new Date(v.attachment?.attachedAt ?? now),
        DeleteOnTermination: false,
      },
    })),
    Tags: toTagList(i.tags),
  };
}

/**
 * An instance's status checks. A check's Status is passed | failed | insufficient-data |
 * initializing (StatusType): an instance that is not running has no checks, only the summary's
 * not-applicable.
 */
function statusSummary(i: Instance, now: number): InstanceStatusSummary {
  if (instanceState(i, now).Name !== "running") return { Status: "not-applicable" };
  return {
    Status: i.healthy ? "ok" : "impaired",
    Details: [{ Name: "reachability", Status: i.healthy ? "passed" : "failed" }],
  };
}

function primaryOutage(ctx: Pick<HandlerCtx<Ec2, "DescribeInstanceStatus">, "region" | "world">): boolean {
  return ctx.region === ctx.world.primary && !ctx.world.scenario.primary.healthy;
}

export const instanceHandlers = serviceHandlers<Ec2>()({
  DescribeInstances(ctx) {
    const { region, input, now } = ctx;
    const ids = stringList(input, "InstanceIds");
    getInstances(region, ids);
    const filters = filtersOf(input);
    const list = [...region.instances.values()].filter(
      (i) =>
        (ids.length === 0 || ids.includes(i.id)) &&
        matches(filters, i.tags, {
          "instance-id": [i.id],
          "instance-state-name": [instanceState(i, now).Name],
          "instance-state-code": [String(instanceState(i, now).Code)],
          "subnet-id": [i.subnetId],
          "vpc-id": [i.vpcId],
          "availability-zone": [i.az],
          "instance-type": [i.instanceType],
          "image-id": [i.imageId],
        }),
    );
    const page = describePage(list, input, {
      scope: "ec2:instances",
      pageLimit: 1000,
      ids,
      idsExcludeMaxResults: "instancesSet",
    });
    return {
      Reservations: page.items.map((i) => ({
        ReservationId: `r-0${hashHex(i.id).slice(0, 16)}`,
        OwnerId: ctx.world.account,
        Groups: [],
        Instances: [instanceOut(region, i, now)],
      })),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },

  DescribeInstanceStatus(ctx) {
    const { region, input, now } = ctx;
    if (primaryOutage(ctx)) {
      throw new SandboxError("Unavailable", "The service is unavailable. Please try again shortly.", 503);
    }
    const ids = stringList(input, "InstanceIds");
    checkStatusIds(ids);
    getInstances(region, ids);
    const all = optBool(input, "IncludeAllInstances") ?? false;
    const filters = filtersOf(input);
    const list = [...region.instances.values()].filter((i) => {
      const state = instanceState(i, now).Name;
      if (ids.length > 0 && !ids.includes(i.id)) return false;
      if (!all && state !== "running") return false;
      const check = statusSummary(i, now);
      // DescribeInstanceStatus has no tag filters (the model lists its filter names).
      return matches(filters, undefined, {
        "instance-state-name": [state],
        "instance-state-code": [String(instanceState(i, now).Code)],
        "availability-zone": [i.az],
        "availability-zone-id": [azIdOf(i.az)],
        "instance-status.status": [check.Status ?? ""],
        "system-status.status": [check.Status ?? ""],
        "instance-status.reachability": check.Details?.map((d) => d.Status ?? "") ?? [],
        "system-status.reachability": check.Details?.map((d) => d.Status ?? "") ?? [],
      });
    });
    const page = describePage(list, input, {
      scope: "ec2:status",
      pageLimit: 1000,
      ids,
      idsExcludeMaxResults: "instancesSet",
    });
    return {
      InstanceStatuses: page.items.map((i) => {
        const summary = statusSummary(i, now);
        return {
          InstanceId: i.id,
          AvailabilityZone: i.az,
          InstanceState: instanceState(i, now),
          InstanceStatus: summary,
          SystemStatus: summary,
        };
      }),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },

  TerminateInstances(ctx) {
    const { region, input, now } = ctx;
    const ids = stringList(input, "InstanceIds");
    if (ids.length === 0)
      throw new SandboxError("MissingParameter", "The request must contain the parameter InstanceIds", 400);
    const instances = getInstances(region, ids);
    return {
      TerminatingInstances: instances.map((i) => {
        const previous = instanceState(i, now);
        terminate(ctx.world, region, i, now);
        return { InstanceId: i.id, PreviousState: previous, CurrentState: instanceState(i, now) };
      }),
    };
  },
});
