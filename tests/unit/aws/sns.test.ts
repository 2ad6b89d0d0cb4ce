import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { sanitizeSubject, snsApi } from "../../../functions/shared/aws/sns.js";
import { awsError } from "./helpers.js";

const sns = mockClient(SNSClient);
const api = snsApi(new SNSClient({ region: "us-west-2" }));
const TOPIC = "arn:aws:sns:us-west-2:111122223333:drctl";

beforeEach(() => sns.reset());

describe("snsApi.publish", () => {
  it("publishes with a clean subject and returns the message id", async () => {
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    const id = await api.publish(TOPIC, "drctl drill SUCCEEDED\nshop — RTO 42 min", "body");
    expect(id).toBe("m-1");
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toEqual({
      TopicArn: TOPIC,
      Message: "body",
      Subject: "drctl drill SUCCEEDED shop RTO 42 min",
    });
  });

  it("cuts the subject to 100 characters", async () => {
    sns.on(PublishCommand).resolves({ MessageId: "m-2" });
    await api.publish(TOPIC, "x".repeat(250), "body");
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Subject).toBe("x".repeat(100));
  });

  it("maps NotFound to AwsCallFailed with the topic", async () => {
    sns.on(PublishCommand).rejects(awsError("NotFound", "Topic does not exist", 404));
    await expect(api.publish(TOPIC, "s", "m")).rejects.toMatchObject({
      name: "AwsCallFailed",
      message: `sns:Publish failed for ${TOPIC}: NotFound: Topic does not exist`,
    });
  });
});

describe("sanitizeSubject", () => {
  it("keeps printable ASCII only", () => {
    expect(sanitizeSubject("Café\tdrill\r\n✓ ok ")).toBe("Cafe drill ok");
    expect(sanitizeSubject("\n\n")).toBe("");
  });
});
