/** What a run left behind includes the mount targets of its file systems (they are resources too). */
import {
  CreateMountTargetCommand,
  DeleteMountTargetCommand,
  EFSClient,
  TagResourceCommand,
} from "@aws-sdk/client-efs";
import { describe, expect, it } from "vitest";
import { TIMINGS } from "../../../scripts/sandbox/world/index.js";
import { sdkWorld } from "./sdk-world.js";

const RUN = "drill-shop-20260301T0900Z";

describe("leftovers", () => {
  it("lists a run's file system with each mount target still on it, until they are deleted", async () => {
    // Prepare
    const s = await sdkWorld();
    try {
      const efs = s.client(EFSClient);
      const fsArn = await s.restore("shared-files", "files-dr");
      const FileSystemId = fsArn.split("/").pop() as string;
      await efs.send(
        new TagResourceCommand({ ResourceId: FileSystemId, Tags: [{ Key: "drctl:execution", Value: RUN }] }),
      );
      const mt = await efs.send(
        new CreateMountTargetCommand({ FileSystemId, SubnetId: "subnet-0dra", SecurityGroups: ["sg-0drdb"] }),
      );
      s.clock.advanceBy(TIMINGS.mountTargetCreateSeconds);
      // Act
      const both = s.world.leftovers(RUN);
      await efs.send(new DeleteMountTargetCommand({ MountTargetId: mt.MountTargetId }));
      s.clock.advanceBy(TIMINGS.mountTargetCreateSeconds);
      const fsOnly = s.world.leftovers(RUN);
      // Assess
      expect(both.sort()).toEqual([fsArn, `${fsArn}/mount-target/${mt.MountTargetId}`].sort());
      expect(fsOnly).toEqual([fsArn]);
    } finally {
      await s.close();
    }
  });
});
