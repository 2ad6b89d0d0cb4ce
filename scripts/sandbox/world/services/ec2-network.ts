/** Amazon EC2 networks and tags: subnets, security groups, VPCs, Availability Zones, CreateTags/DeleteTags. */
import { SandboxError } from "../../types.js";
import { stringList } from "../errors.js";
import { type Ec2, serviceHandlers } from "../handlers.js";
import { azOf } from "../naming.js";
import { describePage, filtersOf, matches } from "./ec2-describe.js";
import { fromTagList, taggable, toTagList } from "./ec2-state.js";

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
    const tags = fromTagList(input.Tags);
    for (const id of stringList(input, "Resources")) {
      const t = taggable(region, id, now);
      for (const k of Object.keys(tags)) delete t.tags[k];
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
        AvailabilityZoneId: `${region.name.replace(/-/g, "").slice(0, 4)}-az${s.az.slice(-1).charCodeAt(0) - 96}`,
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
        State: "available",
        RegionName: ctx.region.name,
        ZoneType: "availability-zone",
      })),
    };
  },
});
