/** @type {import('jest').Config} */
module.exports = {
  // onnxruntime-node returns typed arrays from Node's main realm; see test/jest-environment.js
  testEnvironment: '<rootDir>/test/jest-environment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  // hyparquet and hyparquet-writer ship ES modules only; jest's CommonJS runtime needs them transformed.
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-writer|hyparquet-compressors|hysnappy)/)'],
  setupFiles: ['<rootDir>/test/jest-setup.ts'],
  testTimeout: 120000,
  // tfjs and onnxruntime hold native/wasm resources; one worker per core keeps the 2-core machine responsive.
  maxWorkers: 2,
};
