/** Amazon SNS: Publish keeps the messages for inspection. */
import { SandboxError } from "../../types.js";
import { optString, requireString } from "../errors.js";
import { type Sns, serviceHandlers } from "../handlers.js";

export const snsHandlers = serviceHandlers<Sns>()({
  Publish({ world, region, input, now }) {
    const topicArn = optString(input, "TopicArn") ?? optString(input, "TargetArn");
    if (!topicArn)
      throw new SandboxError(
        "InvalidParameter",
        "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter",
        400,
      );
    if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+(\.fifo)?$/.test(topicArn)) {
      throw new SandboxError(
        "InvalidParameter",
        `Invalid parameter: TopicArn Reason: ${topicArn} is not a valid topic ARN`,
        400,
      );
    }
    const message = requireString("sns", input, "Message");
    const subject = optString(input, "Subject");
    if (subject !== undefined && (subject.length > 100 || /[\r\n]/.test(subject))) {
      throw new SandboxError("InvalidParameter", "Invalid parameter: Subject", 400);
    }
    if (Buffer.byteLength(message) > 262144) {
      throw new SandboxError("InvalidParameter", "Invalid parameter: Message too long", 400);
    }
    const messageId = world.nextUuid("sns");
    region.messages.push({
      messageId,
      topicArn,
      message,
      at: now,
      ...(subject !== undefined ? { subject } : {}),
    });
    return { MessageId: messageId };
  },
});
