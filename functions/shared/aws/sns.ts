import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { clientConfig, memoClient } from "./clients.js";
import { callAws } from "./errors.js";

/** The Amazon SNS operations drctl uses. */
export interface SnsApi {
  /** Publish; returns the message id. Subject is cut to SNS's 100-character limit. */
  publish(topicArn: string, subject: string, message: string): Promise<string>;
}

/** SNS subjects: printable ASCII, no line breaks, at most 100 characters, not empty. */
export const MAX_SUBJECT = 100;

export function sanitizeSubject(subject: string): string {
  return (
    subject
      .normalize("NFKD")
      // Drop combining marks left by NFKD ("é" → "e"), turn every other non-printable into a space.
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^\x20-\x7E]/g, " ")
      .replace(/ {2,}/g, " ")
      .trim()
      .slice(0, MAX_SUBJECT)
      .trimEnd()
  );
}

export function snsApi(client: SNSClient): SnsApi {
  return {
    publish: (topicArn, subject, message) =>
      callAws("sns", "Publish", topicArn, async () => {
        const clean = sanitizeSubject(subject);
        const out = await client.send(
          new PublishCommand({
            TopicArn: topicArn,
            Message: message,
            ...(clean !== "" && { Subject: clean }),
          }),
        );
        if (!out.MessageId) throw new Error("Publish returned no MessageId");
        return out.MessageId;
      }),
  };
}

/** The wrapper for this container and region (one client per service and region). */
export const snsFor = (region: string): SnsApi =>
  memoClient(`sns:${region}`, () => snsApi(new SNSClient(clientConfig("SNS", region))));
