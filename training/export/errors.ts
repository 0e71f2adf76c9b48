import { InternalError, ResidualError } from '../../core/errors';

/** Base class for errors raised by the ONNX exporter. */
export class ExportError extends ResidualError {
  readonly code: string = 'EXPORT_FAILED';
  readonly retryable: boolean = false;
}

/** One layer (or one option of a layer) the exporter cannot translate exactly. */
export interface UnsupportedLayer {
  readonly layerName: string;
  readonly className: string;
  /** 'class' when no converter is registered for the class; else the config option or input at fault. */
  readonly option: string;
  readonly detail: string;
}

function describe(p: UnsupportedLayer): string {
  return `'${p.layerName}' (${p.className}): ${p.option}: ${p.detail}`;
}

/**
 * Layers, or options of layers, that the exporter cannot translate exactly; nothing is ever approximated
 * instead. `problems` lists every one found in the model (one entry per layer and option), so the caller
 * sees all there is to change at once; `layerName`, `className` and `option` are those of the first.
 */
export class OnnxExportError extends ExportError {
  override readonly code = 'UNSUPPORTED_LAYER';
  readonly problems: readonly UnsupportedLayer[];
  readonly layerName: string;
  readonly className: string;
  readonly option: string;

  constructor(problems: UnsupportedLayer | readonly UnsupportedLayer[], options?: { cause?: unknown }) {
    const list: readonly UnsupportedLayer[] = Array.isArray(problems) ? [...problems] : [problems as UnsupportedLayer];
    if (list.length === 0) throw new InternalError('OnnxExportError needs at least one unsupported layer');
    const first = list[0]!;
    const all = list.map((p, i) => `(${i + 1}) ${describe(p)}`).join('; ');
    const message = list.length === 1
      ? `cannot export layer '${first.layerName}' (${first.className}) to ONNX: ${first.option}: ${first.detail}`
      : `cannot export to ONNX, ${list.length} unsupported layers or options: ${all}`;
    super(message, options);
    this.problems = Object.freeze(list);
    this.layerName = first.layerName;
    this.className = first.className;
    this.option = first.option;
  }
}

/** Bad exporter options (head, extraOutputs, ...); the message names the option and the bad value. */
export class ExportOptionsError extends ExportError {
  override readonly code = 'INVALID_EXPORT_OPTIONS';
}
