/**
 * Amazon SNS: topics exist once created (CreateTopic, per region); Publish checks the topic, the
 * subject and the message as SNS does and keeps the messages for inspection.
 */
import { SandboxError } from "../../types.js";
import { optString, requireString } from "../errors.js";
import { type Sns, serviceHandlers } from "../handlers.js";

const invalid = (what: string) => new SandboxError("InvalidParameter", `Invalid parameter: ${what}`, 400);

/** 256 KiB (262,144 bytes of UTF-8), the default MaximumMessageSize. */
const MAX_MESSAGE_BYTES = 262_144;

export const snsHandlers = serviceHandlers<Sns>()({
  CreateTopic({ world, region, input }) {
    const name = requireString("sns", input, "Name");
    // Up to 256 letters, digits, hyphens and underscores; FIFO topics end in .fifo.
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(name.replace(/\.fifo$/, ""))) throw invalid("Topic Name");
    const arn = `arn:aws:sns:${region.name}:${world.account}:${name}`;
    region.topics.add(arn);
    return { TopicArn: arn };
  },

  Publish({ world, region, input, now }) {
    const topicArn = optString(input, "TopicArn") ?? optString(input, "TargetArn");
    if (!topicArn) throw invalid("TopicArn or TargetArn Reason: no value for required parameter");
    const elements = topicArn.split(":").length;
    if (elements < 6) throw invalid(`TopicArn Reason: An ARN must have at least 6 elements, not ${elements}`);
    if (!region.topics.has(topicArn)) throw new SandboxError("NotFound", "Topic does not exist", 404);
    // Subjects: printable text without line breaks or control characters, at most 100 characters
    // (the reference says "less than 100"; SNS accepts 100), not empty.
    const subject = input.Subject;
    if (subject !== undefined && (subject === "" || subject.length > 100 || /[\p{Cc}]/u.test(subject)))
      throw invalid("Subject");
    if (input.Message === "") throw invalid("Empty message");
    const message = requireString("sns", input, "Message");
    if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) throw invalid("Message too long");
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
