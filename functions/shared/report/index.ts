/** Recovery reports: the report.json model, its builder and the Markdown / HTML renderers. */
export { buildReport, type ReportInput } from "./build.js";
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
export { causeMessage, formatDuration, timelineBars, verdict } from "./text.js";
