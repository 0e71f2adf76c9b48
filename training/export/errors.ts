import { ResidualError } from '../../core/errors';

/** Base class for errors raised by the ONNX exporter. */
export class ExportError extends ResidualError {}

/**
 * A layer, or an option of a layer, that the exporter cannot translate exactly. Names the layer (name and
 * class) and the option, so the caller knows what to change; nothing is ever approximated instead.
 */
export class OnnxExportError extends ExportError {
  constructor(
    readonly layerName: string,
    readonly className: string,
    readonly option: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot export layer '${layerName}' (${className}) to ONNX: ${option}: ${detail}`, options);
  }
}

/** Bad exporter options (head, extraOutputs, ...); the message names the option and the bad value. */
export class ExportOptionsError extends ExportError {}
