export {
  connectExecutionEvents,
  type Delivery,
  type ExecutionEventBus,
  executionStatusEvent,
} from "./bus.js";
export { matchesPattern, UnsupportedPattern } from "./pattern.js";
export { type EventRule, eventRulesFrom, type RuleTarget } from "./rules.js";
export { type TargetInput, targetInput } from "./transformer.js";
