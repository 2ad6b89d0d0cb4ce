/** Amazon EC2 networks and tags: subnets, security groups, VPCs, Availability Zones, CreateTags/DeleteTags. */
import { SandboxError } from "../../types.js";
import { stringList } from "../errors.js";
import { type Ec2, serviceHandlers } from "../handlers.js";
import { azIdOf, azOf } from "../naming.js";
import { describePage, filtersOf, matches } from "./ec2-describe.js";
import { taggable } from "./ec2-state.js";
import { fromTagList, toTagList } from "./tags.js";

export const networkHandlers = serviceHandlers<Ec2>()({
  CreateTags(ctx) {
    const { region, input, now } = ctx;
    const ids = stringList(input, "Resources");
    if (ids.length === 0)
      throw new SandboxError("MissingParameter", "The request must contain the parameter ResourceId", 400);
    const tags = fromTagList(input.Tags);
    for (const id of ids) taggable(region, id, now).tags = { ...taggable(region, id, now).tags, ...tags };
    return {};
  },

  DeleteTags(ctx) {
    const { region, input, now } = ctx;
    for (const id of stringList(input, "Resources")) {
      const t = taggable(region, id, now);
      // No Tags: every user-defined tag (not aws:). A key alone: whatever its value; with a value
      // (even ""): only when the value matches (DeleteTags reference, Tags).
      const doomed = input.Tags
        ? input.Tags.filter(
            (x) => x.Key !== undefined && (x.Value === undefined || t.tags[x.Key] === x.Value),
          )
        : Object.keys(t.tags)
            .filter((k) => !k.startsWith("aws:"))
            .map((Key) => ({ Key }));
      for (const x of doomed) if (x.Key !== undefined) delete t.tags[x.Key];
    }
    return {};
  },

  DescribeSubnets(ctx) {
    const { region, input } = ctx;
    const ids = stringList(input, "SubnetIds");
    for (const id of ids) {
      if (!region.subnets.has(id)) {
        throw new SandboxError("InvalidSubnetID.NotFound", `The subnet ID '${id}' does not exist`, 400);
      }
    }
    const filters = filtersOf(input);
    const list = [...region.subnets.values()].filter(
      (s) =>
        (ids.length === 0 || ids.includes(s.id)) &&
        matches(filters, s.tags, { "subnet-id": [s.id], "vpc-id": [s.vpcId], "availability-zone": [s.az] }),
    );
    const page = describePage(list, input, { scope: "ec2:subnets", pageLimit: 1000, ids });
    return {
      ...(page.next ? { NextToken: page.next } : {}),
      Subnets: page.items.map((s) => ({
        SubnetId: s.id,
        SubnetArn: `arn:aws:ec2:${region.name}:${ctx.world.account}:subnet/${s.id}`,
        VpcId: s.vpcId,
        AvailabilityZone: s.az,
        AvailabilityZoneId: azIdOf(s.az),
        CidrBlock: s.cidr,
        State: "available",
        AvailableIpAddressCount: 250,
        DefaultForAz: false,
        MapPublicIpOnLaunch: false,
        OwnerId: ctx.world.account,
        Tags: toTagList(s.tags),
      })),
    };
  },

  DescribeSecurityGroups(ctx) {
    const { region, input } = ctx;
    const ids = stringList(input, "GroupIds");
    for (const id of ids) {
      if (!region.securityGroups.has(id)) {
        throw new SandboxError("InvalidGroup.NotFound", `The security group '${id}' does not exist`, 400);
      }
    }
    const filters = filtersOf(input);
    const list = [...region.securityGroups.values()].filter(
      (g) =>
        (ids.length === 0 || ids.includes(g.id)) &&
        matches(filters, g.tags, { "group-id": [g.id], "vpc-id": [g.vpcId], "group-name": [g.name] }),
    );
    const page = describePage(list, input, { scope: "ec2:groups", pageLimit: 1000, ids });
    return {
      ...(page.next ? { NextToken: page.next } : {}),
      SecurityGroups: page.items.map((g) => ({
        GroupId: g.id,
        GroupName: g.name,
        VpcId: g.vpcId,
        Description: g.description,
        OwnerId: ctx.world.account,
        IpPermissions: [],
        IpPermissionsEgress: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
        Tags: toTagList(g.tags),
      })),
    };
  },

  DescribeVpcs(ctx) {
    const { region, input } = ctx;
    const ids = stringList(input, "VpcIds");
    for (const id of ids) {
      if (!region.vpcs.has(id))
        throw new SandboxError("InvalidVpcID.NotFound", `The vpc ID '${id}' does not exist`, 400);
    }
    const list = [...region.vpcs.values()].filter((v) => ids.length === 0 || ids.includes(v.id));
    const page = describePage(list, input, { scope: "ec2:vpcs", pageLimit: 1000, ids });
    return {
      ...(page.next ? { NextToken: page.next } : {}),
      Vpcs: page.items.map((v) => ({
        VpcId: v.id,
        CidrBlock: v.cidr,
        State: "available",
        IsDefault: v.isDefault,
        OwnerId: ctx.world.account,
        Tags: toTagList(v.tags),
      })),
    };
  },

  DescribeAvailabilityZones(ctx) {
    const azs = ctx.region.azs.length ? ctx.region.azs : [azOf(ctx.region.name, 0), azOf(ctx.region.name, 1)];
    return {
      AvailabilityZones: azs.map((az) => ({
        ZoneName: az,
        ZoneId: azIdOf(az),
        State: "available",
        RegionName: ctx.region.name,
        ZoneType: "availability-zone",
      })),
    };
  },
});
