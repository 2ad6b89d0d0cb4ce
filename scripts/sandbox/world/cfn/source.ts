/**
 * Where CreateStack, GetTemplateSummary and ValidateTemplate take the template from: TemplateBody,
 * or TemplateURL read from the sandbox's S3 (the one S3 namespace every region shares).
 * - Exactly one of the two: "Either Template URL or Template Body must be specified." /
 *   "You cannot specify both Template URL and Template Body."
 * - A URL that is not an S3 https URL: "TemplateURL must be a supported URL."
 * - An object that does not exist (or the caller may not read): "TemplateURL must reference a valid
 *   S3 object to which you have access."
 * - TemplateBody at most 51,200 bytes, a template in S3 at most 1 MB (CreateStack API reference).
 */
import { s3ObjectOfUrl } from "../../../../functions/shared/s3-url.js";
import { optString } from "../errors.js";
import type { WorldCore } from "../model.js";
import { validation } from "./parse.js";

export interface TemplateSource {
  body: string;
  url?: string;
}

const BODY_MAX = 51_200;
const URL_OBJECT_MAX = 1024 * 1024;

/** The template text a request names; throws ValidationError as CloudFormation does. */
export function templateSource(
  world: WorldCore,
  input: { TemplateBody?: string | undefined; TemplateURL?: string | undefined },
): TemplateSource {
  const body = optString(input, "TemplateBody");
  const url = optString(input, "TemplateURL");
  if (body !== undefined && url !== undefined) {
    throw validation("You cannot specify both Template URL and Template Body.");
  }
  if (body !== undefined) {
    if (Buffer.byteLength(body) > BODY_MAX) {
      throw validation(
        `1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${BODY_MAX}`,
      );
    }
    return { body };
  }
  if (url === undefined) throw validation("Either Template URL or Template Body must be specified.");
  const object = s3ObjectOfUrl(url);
  if (!object) throw validation("TemplateURL must be a supported URL.");
  const stored = world.s3.get(object.bucket)?.get(object.key);
  if (!stored) throw validation("TemplateURL must reference a valid S3 object to which you have access.");
  if (Buffer.byteLength(stored.body) > URL_OBJECT_MAX) {
    throw validation("Template may not exceed 1048576 bytes in size.");
  }
  return { body: stored.body, url };
}
