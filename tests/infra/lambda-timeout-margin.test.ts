import { describe, expect, it } from "vitest";
import { TIMEOUT_MARGIN_SECONDS } from "../../infra/constructs/step-function.js";
import { LAMBDA_TIMEOUT_MARGIN_SECONDS } from "../../scripts/sandbox/sfn/lambda-invoke.js";

describe("the SFN emulation's Lambda lifetime", () => {
  it("is the CDK construct's: the Task's TimeoutSeconds plus the same margin", () => {
    expect(LAMBDA_TIMEOUT_MARGIN_SECONDS).toBe(TIMEOUT_MARGIN_SECONDS);
  });
});
