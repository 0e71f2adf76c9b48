export { rankingMetrics, type RankingMetrics } from './ranking';
export { pointMetrics, type PointMetrics } from './point-metrics';
export { findEvents, eventMetrics, pointAdjustedMetrics, type LabelEvent, type EventMetrics } from './events';
export { SignalErrorAccumulator } from './signal-metrics';
export { DetectionCollector, parseTime, GrowableF64 } from './detection-collector';
export { rowsOf, alignedRows, type RowWithColumns } from './aligned-rows';
export { detectionReport, POINT_ADJUST_WARNING, type DetectionReport } from './detection-report';
export { signalReport, OUTPUT_COLUMNS, type SignalReport } from './signal-report';
export { cellOf, numberOf } from './cell-of';
