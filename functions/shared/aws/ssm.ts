import {
  CreateOpsItemCommand,
  DeleteParameterCommand,
  DeleteParametersCommand,
  GetParameterCommand,
  PutParameterCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { clientConfig, memoClient } from "./clients.js";
import { callAws, callAwsOptional } from "./errors.js";
import { type SsmCommandApi, ssmCommandApi } from "./ssm-commands.js";
import { chunks, toTagList } from "./util.js";

export { type CommandInvocation, MAX_COMMAND_INSTANCES } from "./ssm-commands.js";

export interface OpsItemInput {
  title: string;
  description: string;
  source: string;
  severity: "1" | "2" | "3" | "4";
  category: string;
  operationalData: Record<string, string>;
}

/** The AWS Systems Manager operations drctl uses (Run Command's in ssm-commands.ts). */
export interface SsmApi extends SsmCommandApi {
  /** GetParameter; undefined when ParameterNotFound. */
  getParameter(name: string): Promise<string | undefined>;
  /**
   * PutParameter (String). With overwrite=false an existing parameter is a conflict:
   * returns "exists" instead of throwing, so callers decide (locks, idempotent retries).
   */
  putParameter(
    name: string,
    value: string,
    opts: { overwrite: boolean; tags?: Record<string, string>; description?: string },
  ): Promise<"created" | "overwritten" | "exists">;
  /** DeleteParameter: true when it deleted one, false when there was none (ParameterNotFound). */
  deleteParameter(name: string): Promise<boolean>;
  /**
   * DeleteParameters, MAX_DELETE_PARAMETERS names per call: the names it deleted. The others are
   * the answer's InvalidParameters (not found: nothing to delete).
   */
  deleteParameters(names: string[]): Promise<string[]>;
  /** CreateOpsItem; returns the OpsItem id (the open one when OpsCenter deduplicates the request). */
  createOpsItem(input: OpsItemInput): Promise<string>;
}

const SERVICE = "ssm";
/** An OpsItem's Description is limited to 2048 characters. */
const MAX_OPS_DESCRIPTION = 2048;
/** DeleteParameters takes 1 to 10 names (API reference, DeleteParameters: Names). */
export const MAX_DELETE_PARAMETERS = 10;

export function ssmApi(client: SSMClient): SsmApi {
  /** One PutParameter call; returns the new version. AWS rejects Tags with Overwrite=true. */
  const put = async (
    name: string,
    value: string,
    overwrite: boolean,
    opts: { tags?: Record<string, string>; description?: string },
  ): Promise<number> => {
    const tags = opts.tags && Object.keys(opts.tags).length > 0 ? toTagList(opts.tags) : undefined;
    const out = await client.send(
      new PutParameterCommand({
        Name: name,
        Value: value,
        Type: "String",
        Overwrite: overwrite,
        ...(!overwrite && tags !== undefined && { Tags: tags }),
        ...(opts.description !== undefined && { Description: opts.description }),
      }),
    );
    return out.Version ?? 1;
  };

  /** Overwrite=false: "exists" on ParameterAlreadyExists. */
  const create = (
    name: string,
    value: string,
    opts: { tags?: Record<string, string>; description?: string },
  ) =>
    callAws<"created" | "exists">(
      SERVICE,
      "PutParameter",
      name,
      async () => {
        await put(name, value, false, opts);
        return "created";
      },
      (err) => (err.code === "ParameterAlreadyExists" ? { value: "exists" } : undefined),
    );

  return {
    ...ssmCommandApi(client),

    getParameter: (name) =>
      callAwsOptional(SERVICE, "GetParameter", name, ["ParameterNotFound"], async () => {
        const out = await client.send(new GetParameterCommand({ Name: name }));
        return out.Parameter?.Value ?? "";
      }),

    putParameter: async (name, value, opts) => {
      if (!opts.overwrite) return create(name, value, opts);
      const hasTags = opts.tags !== undefined && Object.keys(opts.tags).length > 0;
      if (hasTags) {
        // Try to create with tags first; an existing parameter is then overwritten without tags.
        const created = await create(name, value, opts);
        if (created === "created") return "created";
      }
      const { tags: _tags, ...untagged } = opts;
      const version = await callAws(SERVICE, "PutParameter", name, () => put(name, value, true, untagged));
      return hasTags || version > 1 ? "overwritten" : "created";
    },

    deleteParameter: async (name) => {
      const deleted = await callAwsOptional(
        SERVICE,
        "DeleteParameter",
        name,
        ["ParameterNotFound"],
        async () => {
          await client.send(new DeleteParameterCommand({ Name: name }));
          return true;
        },
      );
      return deleted === true;
    },

    deleteParameters: async (names) => {
      const deleted: string[] = [];
      for (const batch of chunks(names, MAX_DELETE_PARAMETERS)) {
        const detail = batch.length > 1 ? `${batch[0]} and ${batch.length - 1} more` : (batch[0] ?? "");
        const out = await callAws(SERVICE, "DeleteParameters", detail, () =>
          client.send(new DeleteParametersCommand({ Names: batch })),
        );
        deleted.push(...(out.DeletedParameters ?? []));
      }
      return deleted;
    },

    createOpsItem: (input) =>
      callAws(
        SERVICE,
        "CreateOpsItem",
        input.title,
        async () => {
          const out = await client.send(
            new CreateOpsItemCommand({
              Title: input.title,
              Description: input.description.slice(0, MAX_OPS_DESCRIPTION),
              Source: input.source,
              Severity: input.severity,
              Category: input.category,
              OperationalData: Object.fromEntries(
                Object.entries(input.operationalData).map(([k, v]) => [
                  k,
                  { Value: v, Type: "SearchableString" },
                ]),
              ),
            }),
          );
          if (!out.OpsItemId) throw new Error("CreateOpsItem returned no OpsItemId");
          return out.OpsItemId;
        },
        // The same /aws/dedup string as an open OpsItem (a retried notify): OpsCenter creates none
        // and names the open one.
        (err) => {
          const existing = (err.error as { OpsItemId?: unknown }).OpsItemId;
          return err.code === "OpsItemAlreadyExistsException" && typeof existing === "string"
            ? { value: existing }
            : undefined;
        },
      ),
  };
}

/** The wrapper for this container and region (one client per service and region). */
export const ssmFor = (region: string): SsmApi =>
  memoClient(`ssm:${region}`, () => ssmApi(new SSMClient(clientConfig("SSM", region))));
