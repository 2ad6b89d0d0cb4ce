/** Recovery reports: the report.json model, its builder and the Markdown / HTML renderers. */
export { buildReport, type ReportInput } from "./build.js";
export { CriticalPathItem, criticalPathOf } from "./critical-path.js";
export { failedStepFromHistory, historyCounts, phasesFrom } from "./history.js";
export { escapeHtml, renderHtml, timelineSvg } from "./html.js";
export { renderMarkdown } from "./markdown.js";
export {
  PHASE_STATUSES,
  REPORT_PHASES,
  REPORT_VERSION,
  RESOURCE_STATUSES,
  Report,
  ReportPhase,
  ReportRedrive,
  ReportResource,
} from "./model.js";
export { redrivesFrom } from "./redrives.js";
export { StateSnapshot, StepError } from "./state.js";
export { causeMessage, formatDuration, verdict } from "./text.js";
export { buildTimeline, SLOWEST_SHOWN, SUMMARIZE_ABOVE, type Timeline } from "./timeline.js";
