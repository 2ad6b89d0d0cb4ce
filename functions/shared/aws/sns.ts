import type { SNSClient } from "@aws-sdk/client-sns";

/** The Amazon SNS operations drctl uses. */
export interface SnsApi {
  /** Publish; returns the message id. Subject is cut to SNS's 100-character limit. */
  publish(topicArn: string, subject: string, message: string): Promise<string>;
}

export function snsApi(_client: SNSClient): SnsApi {
  throw new Error("snsApi: not implemented yet");
}
