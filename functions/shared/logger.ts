import { Logger } from "@aws-lambda-powertools/logger";

/** One JSON logger per process; the service name is the step (set by the handler wrapper). */
export const logger = new Logger({ serviceName: "drctl" });
