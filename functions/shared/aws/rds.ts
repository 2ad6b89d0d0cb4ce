import type { RDSClient } from "@aws-sdk/client-rds";

export interface DbInstance {
  id: string;
  arn: string;
  status: string;
  endpoint?: string;
  port?: number;
  clusterId?: string;
  tags: Record<string, string>;
}

export interface DbCluster {
  id: string;
  arn: string;
  status: string;
  endpoint?: string;
  readerEndpoint?: string;
  port?: number;
  engine: string;
  members: string[];
  tags: Record<string, string>;
}

/** The Amazon RDS operations drctl uses. Pagination happens inside. */
export interface RdsApi {
  /** DescribeDBInstances for one id; undefined when DBInstanceNotFound. */
  describeInstance(id: string): Promise<DbInstance | undefined>;
  /** DescribeDBClusters for one id; undefined when DBClusterNotFoundFault. */
  describeCluster(id: string): Promise<DbCluster | undefined>;
  /** Every instance in the region (all pages), with tags (TagList). */
  listInstances(): Promise<DbInstance[]>;
  /** Every cluster in the region (all pages), with tags. */
  listClusters(): Promise<DbCluster[]>;
  /** CreateDBInstance in an Aurora cluster (a cluster restored by AWS Backup has no instances). */
  createClusterInstance(input: {
    id: string;
    clusterId: string;
    instanceClass: string;
    engine: string;
    tags: Record<string, string>;
  }): Promise<DbInstance>;
  /** AddTagsToResource. */
  addTags(arn: string, tags: Record<string, string>): Promise<void>;
  /** DeleteDBInstance with SkipFinalSnapshot and DeleteAutomatedBackups; no-op when already gone. */
  deleteInstance(id: string): Promise<void>;
  /** DeleteDBCluster with SkipFinalSnapshot; no-op when already gone. */
  deleteCluster(id: string): Promise<void>;
}

export function rdsApi(_client: RDSClient): RdsApi {
  throw new Error("rdsApi: not implemented yet");
}
