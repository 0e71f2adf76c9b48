import type { Manifest } from '../../core/manifest';
import { MANIFEST_METADATA_KEY } from '../../core/manifest';
import { ONNX_IR_VERSION, ONNX_OPSET, PRODUCER_NAME } from './export-to-onnx';
import type { GraphBuilder } from './graph-builder';
import { encodeModel, tensorValueInfo } from './onnx-proto';
import type { GraphPort } from './scoring-head';

/** What a hand-built graph (no tfjs model) names and exposes. */
export interface ManifestGraph {
  name: string;
  docString: string;
  inputs: readonly GraphPort[];
  outputs: readonly GraphPort[];
  /** operator sets beyond the default domain's ONNX_OPSET (e.g. ai.onnx.ml) */
  extraOpsets?: readonly { domain: string; version: number }[];
}

/** Encodes g as a model of this project's IR version and opset, with the manifest in its metadata (the artifact contract). */
export function encodeManifestGraph(g: GraphBuilder, manifest: Manifest, graph: ManifestGraph): Uint8Array {
  return encodeModel({
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }, ...(graph.extraOpsets ?? [])],
    producer_name: PRODUCER_NAME,
    producer_version: manifest.producer.version,
    doc_string: graph.docString,
    graph: {
      name: graph.name,
      node: g.nodes,
      initializer: g.initializers,
      input: graph.inputs.map((p) => tensorValueInfo(p.name, p.dims)),
      output: graph.outputs.map((p) => tensorValueInfo(p.name, p.dims)),
    },
    metadata_props: [{ key: MANIFEST_METADATA_KEY, value: JSON.stringify(manifest) }],
  });
}
