import { afterEach, describe, expect, it } from "vitest";
import { ArtifactStore, CONFIG_TTL_SECONDS, loadConfig } from "../../../functions/shared/artifacts.js";
import type { S3Api, WriteCondition } from "../../../functions/shared/aws/s3.js";
import { useClock } from "../../../functions/shared/clock.js";
import { saveJobs } from "../../../functions/shared/run-documents.js";
import { JobsDocument, PlanDocument, type RestoreJobRecord } from "../../../functions/shared/types.js";
import { appConfigInput } from "../../support/fixtures.js";

/** An in-memory bucket that counts calls and honours conditional writes like S3. */
function bucket() {
  const objects = new Map<string, { text: string; etag: string }>();
  const calls: string[] = [];
  let version = 0;
  const write = (key: string, text: string) => {
    version += 1;
    objects.set(key, { text, etag: `"v${version}"` });
    return `"v${version}"`;
  };
  const s3: S3Api = {
    getText: async (_b, key) => {
      calls.push(`get ${key}`);
      return objects.get(key)?.text;
    },
    getObject: async (_b, key) => {
      calls.push(`get ${key}`);
      return objects.get(key);
    },
    putText: async (_b, key, body) => {
      calls.push(`put ${key}`);
      write(key, body);
    },
    putTextIf: async (_b, key, body, _type, condition: WriteCondition) => {
      calls.push(`put-if ${key}`);
      const current = objects.get(key);
      const holds = "ifMatch" in condition ? current?.etag === condition.ifMatch : current === undefined;
      return holds ? { etag: write(key, body) } : undefined;
    },
    deleteObject: async () => undefined,
  };
  return { s3, calls, objects, write };
}

const job = (name: string, status: RestoreJobRecord["status"]): RestoreJobRecord => ({
  name,
  type: "rds",
  recoveryPointArn: `arn:rp:${name}`,
  restoreJobId: `${name}-1`,
  attempt: 1,
  status,
  startedAt: "2026-03-01T09:00:00.000Z",
  previousJobIds: [],
});

afterEach(() => useClock(undefined));

describe("ArtifactStore", () => {
  it("keeps a run's configuration for CONFIG_TTL_SECONDS and reads it again after; the app name alone always reads", async () => {
    // Prepare
    const b = bucket();
    b.write("config/shop.json", JSON.stringify(appConfigInput()));
    const store = new ArtifactStore(b.s3, "art");
    const run = { app: "shop", name: "drill-shop-20260301T0900Z-abc123" };
    let t = Date.parse("2026-03-01T09:00:00Z");
    useClock(() => new Date(t));
    // Act
    await loadConfig(store, run);
    t += (CONFIG_TTL_SECONDS - 1) * 1000;
    await loadConfig(store, run);
    await loadConfig(store, { ...run, name: "drill-shop-20260301T0900Z-def456" });
    t += 2000;
    await loadConfig(store, run);
    await loadConfig(store, "shop");
    // Assess: first read, another run, after the TTL, and by app name.
    expect(b.calls).toEqual(Array(4).fill("get config/shop.json"));
  });

  it("reads the write-once plan once per store, and again after the store itself rewrote it", async () => {
    const b = bucket();
    const plan: PlanDocument = { run: "r", createdAt: "2026-03-01T09:00:00Z", restores: [] };
    b.write("runs/r/plan.json", JSON.stringify(plan));
    const store = new ArtifactStore(b.s3, "art");
    await store.getJson("runs/r/plan.json", PlanDocument);
    await store.findJson("runs/r/plan.json", PlanDocument);
    await store.putJson("runs/r/plan.json", plan);
    await store.getJson("runs/r/plan.json", PlanDocument);
    expect(b.calls).toEqual(["get runs/r/plan.json", "put runs/r/plan.json", "get runs/r/plan.json"]);
  });

  it("saves a progress document it read with one conditional write, and merges a late writer's version when the condition fails", async () => {
    // Prepare
    const b = bucket();
    const key = "runs/r/jobs.json";
    b.write(key, JSON.stringify({ run: "r", jobs: [job("db", "RUNNING"), job("fs", "RUNNING")] }));
    const store = new ArtifactStore(b.s3, "art");
    const read = await store.getJson(key, JobsDocument);
    // Act 1: nobody wrote in between.
    await saveJobs(store, key, {
      run: "r",
      jobs: [job("db", "COMPLETED"), read.jobs[1] as RestoreJobRecord],
    });
    // Act 2: another writer saw fs COMPLETED after this store's write.
    b.write(key, JSON.stringify({ run: "r", jobs: [job("db", "COMPLETED"), job("fs", "COMPLETED")] }));
    const saved = await saveJobs(store, key, {
      run: "r",
      jobs: [job("db", "COMPLETED"), job("fs", "RUNNING")],
    });
    // Assess
    expect(b.calls).toEqual([`get ${key}`, `put-if ${key}`, `put-if ${key}`, `get ${key}`, `put ${key}`]);
    expect(saved.jobs.map((j) => j.status)).toEqual(["COMPLETED", "COMPLETED"]);
    expect(JSON.parse(b.objects.get(key)?.text ?? "{}").jobs[1].status).toBe("COMPLETED");
  });

  it("creates a progress document it saw absent only where there still is none", async () => {
    const b = bucket();
    const key = "runs/r/jobs.json";
    const store = new ArtifactStore(b.s3, "art");
    await store.findJson(key, JobsDocument);
    b.write(key, JSON.stringify({ run: "r", jobs: [job("db", "COMPLETED")] }));
    const saved = await saveJobs(store, key, { run: "r", jobs: [job("fs", "PENDING")] });
    expect(saved.jobs.map((j) => j.name)).toEqual(["fs", "db"]);
  });
});

describe("ArtifactStore versions", () => {
  const key = "runs/r/jobs.json";
  const doc = (status: RestoreJobRecord["status"]) => ({ run: "r", jobs: [job("db", status)] });
  /** A store that wrote the document with the job RUNNING, and the version it wrote. */
  async function storeThatWrote() {
    const b = bucket();
    const store = new ArtifactStore(b.s3, "bucket");
    await store.findJson(key, JobsDocument);
    await saveJobs(store, key, doc("RUNNING"));
    return { b, store, version: store.seenVersion(key) };
  }

  it("getJsonAt answers the version it wrote without a GET, and reads any other version", async () => {
    // Prepare: this store wrote version 1; another writer then wrote version 2
    const { b, store, version: mine } = await storeThatWrote();
    const theirs = b.write(key, JSON.stringify(doc("COMPLETED")));
    b.calls.length = 0;
    // Act
    const kept = await store.getJsonAt(key, JobsDocument, mine);
    const read = await store.getJsonAt(key, JobsDocument, theirs);
    // Assess
    expect(kept.jobs[0]?.status).toBe("RUNNING");
    expect(read.jobs[0]?.status).toBe("COMPLETED");
    expect(b.calls).toEqual([`get ${key}`]);
  });

  it("keepUnwritten changes the view of the version it saw, writes nothing, and a save merges with it", async () => {
    // Prepare
    const { b, store, version } = await storeThatWrote();
    b.calls.length = 0;
    // Act
    store.keepUnwritten(key, doc("COMPLETED"));
    const kept = await store.getJsonAt(key, JobsDocument, version);
    await saveJobs(store, key, doc("RUNNING"));
    // Assess: no call but the conditional write, which held (S3 still had that version)
    expect(kept.jobs[0]?.status).toBe("COMPLETED");
    expect(b.calls).toEqual([`put-if ${key}`]);
    expect(JSON.parse(b.objects.get(key)?.text ?? "{}").jobs[0].status).toBe("COMPLETED");
  });
});
