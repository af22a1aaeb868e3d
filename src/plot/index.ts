// Public surface of the plots: SVG builders, PNG rendering, file writers, and the terminal pieces the Ink UI reuses.
export { tsneScatterSvg, classCentres, className, type ScatterOptions, type ClassCentre } from './tsne-scatter-svg.js';
export { curvePlotSvg, downsampleMinMax, type CurvePlotInput, type CurveSeries, type CurvePoint } from './curves-svg.js';
export { perClassBarsSvg, perClassFromReport, type PerClassBarsInput } from './per-class-bars-svg.js';
export { curveSourceFromRun, curveSourceFromReport, overviewCurves, findingCurves, validationDots, type CurveSource } from './run-curves.js';
export { buildPlots, fileStem, type PlotInputs, type NamedPlot } from './build-plots.js';
export { svgToPng, type PngOptions } from './png.js';
export { resolveFontFiles, FONT_ENV } from './fonts.js';
export { writePlots, type WritePlotsOptions } from './write-plots.js';
export { terminalScatter, scatterToAnsi, type TerminalScatter, type TerminalScatterOptions, type ScatterSegment } from './terminal-scatter.js';
export { sparkline, NON_FINITE_MARK, type SparklineOptions } from './sparkline.js';
export { CLASS_COLORS, DOMAIN_COLORS, SERIES_COLORS, classColor, domainColor, hexToRgb } from './palette.js';
export { tsneOfFeatureDump, progressFraction } from './tsne-of-run.js';
