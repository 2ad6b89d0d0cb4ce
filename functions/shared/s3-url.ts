/**
 * The S3 object an https URL names, in the forms CloudFormation accepts for TemplateURL:
 * virtual-hosted (`https://BUCKET.s3.REGION.amazonaws.com/KEY`, `https://BUCKET.s3.amazonaws.com/KEY`,
 * legacy `https://BUCKET.s3-REGION.amazonaws.com/KEY`) and path-style (`https://s3.REGION.amazonaws.com/BUCKET/KEY`,
 * `https://s3.amazonaws.com/BUCKET/KEY`, `https://s3-REGION.amazonaws.com/BUCKET/KEY`).
 * "The location for an Amazon S3 bucket must start with https://. URLs from S3 static websites are
 * not supported." (CreateStack, TemplateURL: https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html)
 */
export interface S3Object {
  bucket: string;
  key: string;
}

const HOST = /^(?:(.+)\.)?s3(?:[.-](?!website)[a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/;

/** The bucket and key of an S3 https URL; undefined for anything else (http, website endpoints, other hosts). */
export function s3ObjectOfUrl(url: string): S3Object | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const host = HOST.exec(parsed.hostname);
  if (parsed.protocol !== "https:" || !host) return undefined;
  const path = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (host[1]) return path ? { bucket: host[1], key: path } : undefined;
  const slash = path.indexOf("/");
  if (slash <= 0 || slash === path.length - 1) return undefined;
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}
