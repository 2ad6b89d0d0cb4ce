export { parseDefinition, SfnBackend, type SfnBackendOptions } from "./backend.js";
export { type AslDefinition, indexDefinition, lambdaFunctionName } from "./definition.js";
export { bindDrctlFunctions, functionArn, functionName } from "./drctl-functions.js";
export { type ExecutionRecord, type ExecutionStatus, TaskError } from "./execution.js";
export { LambdaRegistry, type LocalHandler } from "./lambda-registry.js";
export { Scheduler, type SchedulerMode, type TimeSource, timeSourceOf } from "./scheduler.js";
