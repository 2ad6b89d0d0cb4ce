/**
 * Amazon EC2: instances (ec2-instances.ts), volumes (ec2-volumes.ts), subnets, security groups,
 * VPCs and tags (ec2-network.ts) of both regions, and the seeding of each region's network and of
 * the primary's instances and volumes.
 */
import type { Ec2, ServiceHandlers } from "../handlers.js";
import type { Instance, Region, Tags, WorldCore } from "../model.js";
import { azOf, hashHex, primaryInstanceTag, resourceArn, sourceId, splitTag } from "../naming.js";
import { instanceHandlers } from "./ec2-instances.js";
import { networkHandlers } from "./ec2-network.js";
import { volumeHandlers } from "./ec2-volumes.js";

export { instanceState, terminate, volumeState } from "./ec2-state.js";

export const ec2Handlers: ServiceHandlers<Ec2> = {
  ...instanceHandlers,
  ...volumeHandlers,
  ...networkHandlers,
};

/** Seeds a region's network: the scenario's DR network in the recovery region, its own in the primary. */
export function seedNetwork(w: WorldCore, region: Region, t0: number): void {
  const net = region.network;
  if (!net) return;
  const octet = region === w.recovery ? 20 : 10;
  region.vpcs.set(net.vpcId, {
    id: net.vpcId,
    cidr: `10.${octet}.0.0/16`,
    isDefault: false,
    tags: { Name: `${w.app}-vpc` },
  });
  net.subnetIds.forEach((id, i) => {
    region.subnets.set(id, {
      id,
      vpcId: net.vpcId,
      az: azOf(region.name, i),
      cidr: `10.${octet}.${i}.0/24`,
      tags: {},
    });
  });
  net.securityGroupIds.forEach((id, i) => {
    region.securityGroups.set(id, {
      id,
      name: `${w.app}-sg-${i + 1}`,
      vpcId: net.vpcId,
      description: `${w.app} security group`,
      tags: {},
    });
  });
  region.dbSubnetGroups.set(net.dbSubnetGroup, {
    name: net.dbSubnetGroup,
    vpcId: net.vpcId,
    subnetIds: [...net.subnetIds],
  });
  void t0;
}

/** Launches an instance in a subnet of the region. */
export function launchInstance(
  w: WorldCore,
  region: Region,
  at: number,
  o: {
    id?: string;
    subnetId: string;
    tags: Tags;
    instanceType?: string;
    imageId?: string;
    sgIds?: string[];
    healthy?: boolean;
  },
): Instance {
  const subnet = region.subnets.get(o.subnetId);
  const id = o.id ?? `i-0${w.nextHex("instance", 16)}`;
  const h = hashHex(id);
  const inst: Instance = {
    id,
    arn: resourceArn("ec2", region.name, w.account, id),
    instanceType: o.instanceType ?? "t3.medium",
    imageId: o.imageId ?? `ami-0${h.slice(0, 16)}`,
    az: subnet?.az ?? azOf(region.name, 0),
    subnetId: o.subnetId,
    vpcId: subnet?.vpcId ?? "",
    sgIds: o.sgIds ?? (region.network ? [...region.network.securityGroupIds] : []),
    privateIp: `${subnet?.cidr.split(".").slice(0, 3).join(".") ?? "10.0.0"}.${(Number.parseInt(h.slice(0, 2), 16) % 200) + 20}`,
    healthy: o.healthy ?? true,
    createdAt: at,
    readyAt: at,
    tags: { ...o.tags },
  };
  region.instances.set(id, inst);
  return inst;
}

/** The primary region: the app's instances (for detect) and the protected resources themselves. */
export function seedPrimary(w: WorldCore, t0: number): void {
  const p = w.primary;
  const s = w.scenario;
  const subnets = p.network?.subnetIds ?? [];
  const [appKey, appValue] = splitTag(primaryInstanceTag(w.app));
  subnets.forEach((subnetId, i) => {
    launchInstance(w, p, t0 - 30 * 86400_000, {
      id: `i-0${hashHex(s.name, "primary-app", String(i)).slice(0, 16)}`,
      subnetId,
      tags: { [appKey]: appValue, role: "app", Name: `${w.app}-app-${i + 1}` },
      healthy: s.primary.healthy,
    });
  });
  const created = t0 - 90 * 86400_000;
  for (const r of s.resources) {
    const id = sourceId(s, r);
    w.remember(id, r.name);
    const tags = { ...r.tags, Name: r.name };
    if (r.type === "ec2") {
      launchInstance(w, p, created, { id, subnetId: subnets[0] ?? "", tags, healthy: s.primary.healthy });
    } else if (r.type === "ebs") {
      p.volumes.set(id, {
        id,
        arn: resourceArn("ebs", p.name, w.account, id),
        az: azOf(p.name, 0),
        sizeGiB: r.recoveryPoints.sizeGiB,
        volumeType: "gp3",
        encrypted: true,
        iops: 3000,
        createdAt: created,
        readyAt: created,
        tags,
      });
    }
  }
}
