import { describe, expect, it } from "vitest";
import { callAws, describeAwsError, isTransient, mapAwsError } from "../../../functions/shared/aws/errors.js";
import { chunks, collectPages, collectPagesUnlessMissing } from "../../../functions/shared/aws/util.js";
import { AwsTransient, NotFound } from "../../../functions/shared/errors.js";
import { awsError, networkError } from "./helpers.js";

describe("mapAwsError", () => {
  it.each([
    ["ThrottlingException", 400],
    ["Throttling", 400],
    ["TooManyRequestsException", 429],
    ["RequestLimitExceeded", 503],
    ["PriorRequestNotComplete", 400],
    ["SlowDown", 503],
    ["ProvisionedThroughputExceededException", 400],
    ["SomethingUnmodelled", 502],
    ["TimeoutError", 400],
  ])("maps %s (HTTP %i) to AwsTransient", (code, status) => {
    const err = mapAwsError("svc", "Op", "thing-1", awsError(code, "msg", status));
    expect(err.name).toBe("AwsTransient");
    expect(err.retryable).toBe(true);
    expect(err.message).toBe(`svc:Op failed for thing-1: ${code}: msg`);
  });

  it.each(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT"])(
    "maps the network error %s to AwsTransient",
    (code) => {
      expect(mapAwsError("svc", "Op", "x", networkError(code)).name).toBe("AwsTransient");
    },
  );

  it("maps an error the SDK marked retryable to AwsTransient", () => {
    const err = awsError("WeirdCode", "m", 400, { $retryable: {} });
    expect(mapAwsError("svc", "Op", "x", err).name).toBe("AwsTransient");
  });

  it("maps a wrapped network error (fetch TypeError with a cause) to AwsTransient", () => {
    const err = Object.assign(new TypeError("fetch failed"), { cause: networkError("ECONNRESET") });
    expect(isTransient(describeAwsError(err))).toBe(true);
  });

  it("maps validation and access errors to AwsCallFailed", () => {
    const err = mapAwsError(
      "backup",
      "StartRestoreJob",
      "arn:aws:backup:rp",
      awsError("InvalidParameterValueException", "bad"),
    );
    expect(err.name).toBe("AwsCallFailed");
    expect(err.retryable).toBe(false);
    expect(err.message).toBe(
      "backup:StartRestoreJob failed for arn:aws:backup:rp: InvalidParameterValueException: bad",
    );
    expect(mapAwsError("s", "O", "", awsError("AccessDeniedException", "no", 403)).message).toBe(
      "s:O failed: AccessDeniedException: no",
    );
  });

  it.each([
    ["AccessDeniedException", 403],
    ["AccessDeniedException", 400],
    ["AccessDenied", 403],
    ["UnauthorizedOperation", 403],
    ["AuthorizationError", 403],
  ])(
    "maps IAM's refusal %s (HTTP %i) to a final AwsCallFailed naming action and resource",
    (code, status) => {
      const why =
        "User: arn:aws:sts::1:assumed-role/r/f is not authorized to perform: ec2:DeleteVolume on resource: arn:aws:ec2:us-west-2:1:volume/vol-9";
      const err = mapAwsError("ec2", "DeleteVolume", "vol-9", awsError(code, why, status));
      expect(err).toMatchObject({ name: "AwsCallFailed", retryable: false });
      expect(err.message).toBe(`ec2:DeleteVolume failed for vol-9: ${code}: ${why}`);
    },
  );

  it("passes drctl errors through unchanged", () => {
    const own = new NotFound("x");
    expect(mapAwsError("s", "O", "d", own)).toBe(own);
  });
});

describe("callAws", () => {
  it("returns the result, recovers when asked, and maps otherwise", async () => {
    await expect(callAws("s", "O", "d", async () => 42)).resolves.toBe(42);
    const failing = () => Promise.reject(awsError("ResourceNotFoundException", "gone"));
    await expect(
      callAws<number | undefined>("s", "O", "d", failing, (e) =>
        e.code === "ResourceNotFoundException" ? { value: undefined } : undefined,
      ),
    ).resolves.toBeUndefined();
    await expect(callAws("s", "O", "d", failing)).rejects.toMatchObject({ name: "AwsCallFailed" });
    await expect(callAws("s", "O", "d", () => Promise.reject(new AwsTransient("t")))).rejects.toBeInstanceOf(
      AwsTransient,
    );
  });
});

describe("collectPages / chunks", () => {
  async function* pagesThen(items: number[][], error?: Error) {
    for (const page of items) yield { Items: page };
    if (error) throw error;
  }
  const site = ["dynamodb", "ListTagsOfResource", "arn:t"] as const;
  const missing = (err: { code: string }) => err.code === "ResourceNotFoundException";

  it("collects every page's items", async () => {
    expect(await collectPages(pagesThen([[1], [], [2, 3]]), site, (p) => p.Items)).toEqual([1, 2, 3]);
  });

  it("maps a failed page request with the call site", async () => {
    const failing = collectPages(
      pagesThen([[1]], awsError("AccessDeniedException", "no")),
      site,
      (p) => p.Items,
    );
    await expect(failing).rejects.toMatchObject({
      name: "AwsCallFailed",
      message: expect.stringContaining("dynamodb:ListTagsOfResource failed for arn:t"),
    });
  });

  it("voids the whole listing when any page says the resource is missing", async () => {
    const gone = pagesThen([[1]], awsError("ResourceNotFoundException", "gone"));
    expect(await collectPagesUnlessMissing(gone, site, (p) => p.Items, missing)).toBeUndefined();
    const denied = pagesThen([[1]], awsError("AccessDeniedException", "no"));
    await expect(collectPagesUnlessMissing(denied, site, (p) => p.Items, missing)).rejects.toMatchObject({
      name: "AwsCallFailed",
    });
    expect(await collectPagesUnlessMissing(pagesThen([[1], [2]]), site, (p) => p.Items, missing)).toEqual([
      1, 2,
    ]);
  });

  it("chunks", () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 2)).toEqual([]);
  });
});
