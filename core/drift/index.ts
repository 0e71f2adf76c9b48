export {
  DriftAccumulator, DRIFT_FLAGGED_RATIO, DRIFT_FLAGGED_Z, DRIFT_MIN_ROWS, DRIFT_PSI_LIMIT, type DriftCounts, type DriftReport,
} from './drift-accumulator';
export { driftReference, exceedance, type DriftReference } from './drift-reference';
