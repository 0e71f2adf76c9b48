/**
 * Jest environment for suites that run onnxruntime-node. The native binding creates output typed arrays in
 * Node's main realm, while onnxruntime-common checks `data instanceof Float32Array` against the test
 * context's own typed-array classes, so every session.run fails inside plain `testEnvironment: 'node'`.
 * Sharing the main realm's typed-array constructors with the test context fixes that.
 * jest.config.js uses it for every suite.
 */
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
  'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

class OrtEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OrtEnvironment;
