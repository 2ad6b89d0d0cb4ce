/** What exists in a world's recovery region at a time, plus DNS, messages and OpsItems (World.inspect). */
import type { RecordSet, WorldCore } from "./model.js";
import { stackStatus } from "./services/cloudformation.js";
import { tableStatus } from "./services/dynamodb.js";
import { instanceState, volumeState } from "./services/ec2.js";
import { fsState } from "./services/efs.js";
import { dbClusterStatus, dbInstanceStatus } from "./services/rds.js";

export interface WorldSnapshot {
  now: string;
  region: string;
  dbInstances: {
    id: string;
    arn: string;
    status: string;
    endpoint: string;
    clusterId?: string;
    tags: Record<string, string>;
  }[];
  dbClusters: {
    id: string;
    arn: string;
    status: string;
    endpoint: string;
    members: string[];
    tags: Record<string, string>;
  }[];
  instances: {
    id: string;
    state: string;
    az: string;
    subnetId: string;
    stackId?: string;
    tags: Record<string, string>;
  }[];
  volumes: {
    id: string;
    state: string;
    az: string;
    attachedTo?: string;
    device?: string;
    tags: Record<string, string>;
  }[];
  fileSystems: {
    id: string;
    arn: string;
    state: string;
    mountTargets: string[];
    tags: Record<string, string>;
  }[];
  tables: { name: string; arn: string; status: string; tags: Record<string, string> }[];
  stacks: { id: string; name: string; status: string; tags: Record<string, string> }[];
  restoreJobs: { id: string; resource: string; status: string; createdResourceArn?: string }[];
  parameters: Record<string, string>;
  dns: { zoneId: string; record: string; type: string; values: string[]; changed: boolean; changes: number };
  messages: { topicArn: string; subject?: string; message: string; at: string }[];
  opsItems: { id: string; title: string; severity?: string; at: string }[];
  mounts: { commandId: string; instanceIds: string[]; commands: string[] }[];
}

export function snapshotOf(
  w: WorldCore & { dnsRecord(): RecordSet | undefined },
  now: number,
): WorldSnapshot {
  const r = w.recovery;
  const params: Record<string, string> = {};
  for (const p of [...r.parameters.values()].sort((a, b) => a.name.localeCompare(b.name)))
    params[p.name] = p.value;
  const record = w.dnsRecord();
  return {
    now: new Date(now).toISOString(),
    region: r.name,
    dbInstances: [...r.dbInstances.values()].map((d) => ({
      id: d.id,
      arn: d.arn,
      status: dbInstanceStatus(d, now),
      endpoint: d.endpoint,
      ...(d.clusterId ? { clusterId: d.clusterId } : {}),
      tags: { ...d.tags },
    })),
    dbClusters: [...r.dbClusters.values()].map((c) => ({
      id: c.id,
      arn: c.arn,
      status: dbClusterStatus(c, now),
      endpoint: c.endpoint,
      members: [...r.dbInstances.values()].filter((i) => i.clusterId === c.id).map((i) => i.id),
      tags: { ...c.tags },
    })),
    instances: [...r.instances.values()].map((i) => ({
      id: i.id,
      state: instanceState(i, now).Name,
      az: i.az,
      subnetId: i.subnetId,
      ...(i.stackId ? { stackId: i.stackId } : {}),
      tags: { ...i.tags },
    })),
    volumes: [...r.volumes.values()].map((v) => ({
      id: v.id,
      state: volumeState(v, now),
      az: v.az,
      ...(v.attachment ? { attachedTo: v.attachment.instanceId, device: v.attachment.device } : {}),
      tags: { ...v.tags },
    })),
    fileSystems: [...r.fileSystems.values()].map((f) => ({
      id: f.id,
      arn: f.arn,
      state: fsState(f, now),
      mountTargets: [...r.mountTargets.values()].filter((m) => m.fileSystemId === f.id).map((m) => m.id),
      tags: { ...f.tags },
    })),
    tables: [...r.tables.values()].map((t) => ({
      name: t.name,
      arn: t.arn,
      status: tableStatus(t, now),
      tags: { ...t.tags },
    })),
    stacks: r.stacks.map((s) => ({
      id: s.id,
      name: s.name,
      status: stackStatus(s, now),
      tags: { ...s.tags },
    })),
    restoreJobs: [...r.restoreJobs.values()].map((j) => ({
      id: j.id,
      resource: j.resource.name,
      status: j.endsAt <= now ? j.fate : j.runningAt <= now ? "RUNNING" : "PENDING",
      ...(j.createdResourceArn ? { createdResourceArn: j.createdResourceArn } : {}),
    })),
    parameters: params,
    dns: {
      zoneId: w.dns.zoneId,
      record: w.scenario.dns.record,
      type: record?.type ?? "CNAME",
      values: record ? (record.alias ? [record.alias.dnsName] : [...record.values]) : [],
      changed:
        !record || record.alias !== undefined || record.values.join(",") !== w.scenario.dns.primaryTarget,
      changes: w.dns.changes.size,
    },
    messages: [...w.primary.messages, ...r.messages].map((m) => ({
      topicArn: m.topicArn,
      ...(m.subject !== undefined ? { subject: m.subject } : {}),
      message: m.message,
      at: new Date(m.at).toISOString(),
    })),
    opsItems: [...w.primary.opsItems, ...r.opsItems].map((o) => ({
      id: o.id,
      title: o.title,
      ...(o.severity !== undefined ? { severity: o.severity } : {}),
      at: new Date(o.createdAt).toISOString(),
    })),
    mounts: [...r.commands.values()].map((c) => ({
      commandId: c.id,
      instanceIds: [...c.instanceIds],
      commands: [...c.commands],
    })),
  };
}
