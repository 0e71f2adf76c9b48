import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { FEATURE_FLAGS } from '../../infra/feature-flags';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** An App with the stack's feature flags; `bundle: false` skips esbuild (assets are staged unbundled). */
export function testApp(options: { bundle?: boolean; outdir?: string } = {}): App {
  return new App({
    outdir: options.outdir,
    context: { ...FEATURE_FLAGS, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
  });
}

export function emptyStack(app: App = testApp(), id = 'Test'): Stack {
  return new Stack(app, id, { env: { account: '123456789012', region: 'eu-west-1' } });
}

/** A temporary directory removed at process exit. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `residual-${prefix}-`));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A stand-in scoring handler (the real one is functions/handlers/score.ts) in a temporary project root
 * whose node_modules links to the repository's. It runs an ONNX model through onnxruntime-node, so a
 * bundle that lacks the native module cannot run it. Returns the entry and its project root.
 */
export function placeholderHandler(): { entry: string; projectRoot: string } {
  const dir = tempDir('handler');
  fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ name: 'placeholder', lockfileVersion: 3, packages: {} }));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const file = path.join(dir, 'score.ts');
  fs.writeFileSync(file, [
    "import * as ort from 'onnxruntime-node';",
    'export async function handler(event: { model: string }): Promise<unknown> {',
    '  const session = await ort.InferenceSession.create(Buffer.from(event.model, "base64"));',
    '  const x = new ort.Tensor("float32", Float32Array.from([1, 2, 3]), [1, 3]);',
    '  const out = await session.run({ x });',
    '  return { arch: process.arch, y: Array.from(out.y.data as Float32Array) };',
    '}',
    '',
  ].join('\n'));
  return { entry: file, projectRoot: dir };
}

/** A stand-in training Dockerfile and context (the real one is training/Dockerfile, built outside this machine). */
export function placeholderDockerContext(): { directory: string; file: string } {
  const dir = tempDir('docker');
  fs.mkdirSync(path.join(dir, 'training'));
  fs.writeFileSync(path.join(dir, 'training', 'Dockerfile'), 'FROM public.ecr.aws/docker/library/node:20-slim\nCMD ["node", "-e", "0"]\n');
  return { directory: dir, file: 'training/Dockerfile' };
}

/**
 * Every cdk-nag acknowledgement recorded under `scope`: rule id, the construct it sits on, and its reason
 * (CDK's own acknowledgements of its built-in CloudFormation-Validate rules are left out).
 */
export function acknowledgements(scope: IConstruct): Array<{ id: string; path: string; reason: string }> {
  return [scope, ...scope.node.findAll()].flatMap((c) => c.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries(m.data as Record<string, unknown>).map(([key, reason]) => ({
      id: key.replace(/^annotation::/i, ''),
      path: c.node.path,
      reason: typeof reason === 'string' ? reason : JSON.stringify(reason),
    }))))
    .filter((a) => a.id.startsWith('AwsSolutions-'));
}

/**
 * Acknowledgements that excuse nothing: no AwsSolutions finding (computed with acknowledgements
 * ignored) with that id on the acknowledging construct or below it.
 */
export function staleAcknowledgements(scope: IConstruct): string[] {
  const pack = new AwsSolutionsChecks();
  Object.assign(pack, { isAcknowledged: () => false });
  const raw = pack
    .validateScope(scope)
    .violations.flatMap((v) => v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })));
  return acknowledgements(scope)
    .filter((a) => !raw.some((f) => f.id === a.id && (f.path === a.path || f.path.startsWith(`${a.path}/`))))
    .map((a) => `${a.id} @ ${a.path}`);
}

/** cdk-nag AwsSolutions findings (errors and warnings) left unacknowledged under `scope`, as `rule @ path`. */
export function nagFindings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`));
}

/** Protobuf wire encoding, just enough for a tiny ONNX model. */
const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n > 127) { out.push((n & 127) | 128); n = Math.floor(n / 128); }
  out.push(n);
  return out;
};
const bytesField = (no: number, payload: number[]): number[] => [(no << 3) | 2, ...varint(payload.length), ...payload];
const stringField = (no: number, s: string): number[] => bytesField(no, [...Buffer.from(s, 'utf8')]);
const intField = (no: number, n: number): number[] => [(no << 3) | 0, ...varint(n)];

/** An ONNX model (opset 13) computing `y = x + x` for float32 x of shape [1, 3]. */
export function doublingOnnxModel(): Buffer {
  const tensorType = (dims: number[]) => bytesField(2, bytesField(1, [
    ...intField(1, 1), // elem_type FLOAT
    ...bytesField(2, dims.flatMap((d) => bytesField(1, intField(1, d)))),
  ]));
  const valueInfo = (name: string) => [...stringField(1, name), ...tensorType([1, 3])];
  const node = [
    ...stringField(1, 'x'),
    ...stringField(1, 'x'),
    ...stringField(2, 'y'),
    ...stringField(3, 'double'),
    ...stringField(4, 'Add'),
  ];
  const graph = [...bytesField(1, node), ...stringField(2, 'g'), ...bytesField(11, valueInfo('x')), ...bytesField(12, valueInfo('y'))];
  return Buffer.from([
    ...intField(1, 7), // ir_version
    ...stringField(2, 'residual-test'),
    ...bytesField(7, graph),
    ...bytesField(8, [...stringField(1, ''), ...intField(2, 13)]),
  ]);
}

/** A state machine's DefinitionString as an object; CloudFormation references become `${Ref}` / `${Id.Attr}` strings. */
export function stateMachineDefinition(definitionString: unknown): StateMachineDefinition {
  const token = (part: unknown): string => {
    if (typeof part === 'string') return part;
    const p = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
    if (p.Ref) return `\${${p.Ref}}`;
    if (p['Fn::GetAtt']) return `\${${p['Fn::GetAtt'].join('.')}}`;
    return JSON.stringify(part).replace(/"/g, "'");
  };
  const d = definitionString as string | { 'Fn::Join': [string, unknown[]] };
  const text = typeof d === 'string' ? d : d['Fn::Join'][1].map(token).join(d['Fn::Join'][0]);
  return JSON.parse(text) as StateMachineDefinition;
}

export interface StateMachineDefinition {
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, Record<string, unknown> & { Type: string }>;
}
