/**
 * Validation-report toolkit. Plot builders turn plain study results into Vega-Lite specs with inlined data
 * (each returns a Plot: { id, title, caption, spec, facts?, table? }); writeReport renders them into an
 * offline report directory; rebuildReport re-renders one from its stored report.json.
 */
export type { Plot, PlotTable } from './plot.js';
export type { Report, ReportSummary, Criterion } from './report.js';
export { parseReport } from './report.js';
export { writeReport, reportTimestamp, type WriteReportOptions, type ReportManifest } from './writeReport.js';
export { rebuildReport } from './rebuildReport.js';
export { renderPlot, type RenderedPlot } from './renderPlot.js';
export { compileSpec } from './compileSpec.js';
export { gitCommit } from './gitCommit.js';
export { epsilonCurvePlot, type EpsCurveInput, type EpsPoint, type EpsBandPoint, type EpsErrorPoint } from './epsilonCurvePlot.js';
export { ratioMapPlot, type RatioMapInput, type RatioCell } from './ratioMapPlot.js';
export { pullPlot, type PullInput, type GaussianFit } from './pullPlot.js';
export { coveragePlot, type CoverageInput, type CoverageRow } from './coveragePlot.js';
export { scalingPlot, type ScalingInput, type ScalingRow } from './scalingPlot.js';
export { massSpectraPlot, histogramMoments, type MassSpectraInput } from './massSpectraPlot.js';
export { closurePlot, closureChiSquare, type ClosureInput, type ClosureVariable } from './closurePlot.js';
export { lossCurvePlot, type LossInput, type LossRow } from './lossCurvePlot.js';
export { degeneracyPlot, degeneracyCurve, type DegeneracyInput, type DegeneracyMember } from './degeneracyPlot.js';
export { identifiabilityPlot, type IdentifiabilityInput, type GraphNode } from './identifiabilityPlot.js';
export { scanPlot, type ScanInput, type ScanRow } from './scanPlot.js';
