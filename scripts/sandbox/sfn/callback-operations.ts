/**
 * SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat: the answers to a callback Task
 * (task-tokens.ts), with the request checks of the SFN model (taskToken 1-2048 characters, output
 * up to 262,144, error 256, cause 32,768; longer: ValidationException) and InvalidOutput for an
 * output that is not JSON.
 */
import { SandboxError } from "../types.js";
import type { Sfn } from "../world/handlers.js";
import { asyncTypedHandlers } from "../world/typed.js";
import { type SfnCtx, str } from "./api-support.js";
import { MAX_PAYLOAD_BYTES } from "./limits.js";

/** The model's length constraint on a member (ValidationException, as the service's validation answers). */
function maxLength(value: string, member: string, max: number): void {
  if (value.length > max) {
    throw new SandboxError(
      "ValidationException",
      `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  }
}

/** taskToken: required, 1 to 2048 characters. */
function taskToken(input: { taskToken?: string | undefined }): string {
  const token = str(input, "taskToken", true);
  if (token.length < 1) {
    throw new SandboxError(
      "ValidationException",
      "1 validation error detected: Value at 'taskToken' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  maxLength(token, "taskToken", 2048);
  return token;
}

export const callbackHandlers = asyncTypedHandlers<Sfn, SfnCtx>()({
  SendTaskSuccess({ input, region, sfn }) {
    const token = taskToken(input);
    const output = str(input, "output", true);
    maxLength(output, "output", MAX_PAYLOAD_BYTES);
    try {
      JSON.parse(output);
    } catch (e) {
      throw new SandboxError("InvalidOutput", `Invalid Output: '${(e as Error).message}'`);
    }
    sfn.tokens.succeed(token, region, output);
    return {};
  },

  SendTaskFailure({ input, region, sfn }) {
    const token = taskToken(input);
    const error = str(input, "error") ?? "";
    const cause = str(input, "cause") ?? "";
    maxLength(error, "error", 256);
    maxLength(cause, "cause", 32_768);
    sfn.tokens.fail(token, region, error, cause);
    return {};
  },

  SendTaskHeartbeat({ input, region, sfn }) {
    sfn.tokens.heartbeat(taskToken(input), region);
    return {};
  },
});
