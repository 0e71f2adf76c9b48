import type { Manifest } from '../core/manifest';
import { LATEST_FILE } from '../storage/artifact/layout';

/**
 * When a newly trained version may become LATEST. Every limit is optional:
 * - maxValidationLoss: the best validation loss must not exceed it;
 * - maxAnomalyRate: the share of validation samples above the calibrated threshold must not exceed it
 *   (a high rate means the threshold is meaningless, e.g. degenerate scores);
 * - maxRegression: against the current LATEST of the same name (same kind and features), the validation
 *   loss may be at most (1 + maxRegression) × the previous one.
 */
export interface ValidationGate {
  maxValidationLoss?: number;
  maxAnomalyRate?: number;
  maxRegression?: number;
}

export interface GateResult {
  passed: boolean;
  /** One line per failed check; empty when passed. */
  reasons: string[];
}

export function evaluateGate(manifest: Manifest, previous: Manifest | null, gate: ValidationGate): GateResult {
  const reasons: string[] = [];
  const v = manifest.metrics.validation;
  const loss = v['loss'];
  if (loss === undefined || !Number.isFinite(loss)) reasons.push(`validation loss is missing or not finite (${loss})`);
  if (gate.maxValidationLoss !== undefined && loss !== undefined && loss > gate.maxValidationLoss) {
    reasons.push(`validation loss ${loss} > maxValidationLoss ${gate.maxValidationLoss}`);
  }
  const rate = v['anomaly_rate'];
  if (gate.maxAnomalyRate !== undefined && rate !== undefined && rate > gate.maxAnomalyRate) {
    reasons.push(`validation anomaly rate ${rate} > maxAnomalyRate ${gate.maxAnomalyRate}`);
  }
  if (gate.maxRegression !== undefined && previous && loss !== undefined) {
    const prev = previous.metrics.validation['loss'];
    const comparable = previous.kind === manifest.kind && previous.features.join('\u0000') === manifest.features.join('\u0000');
    if (comparable && prev !== undefined && Number.isFinite(prev) && loss > prev * (1 + gate.maxRegression)) {
      reasons.push(
        `validation loss ${loss} regresses more than ${gate.maxRegression * 100}% on ${LATEST_FILE} version ${previous.version} (${prev})`,
      );
    }
  }
  return { passed: reasons.length === 0, reasons };
}
