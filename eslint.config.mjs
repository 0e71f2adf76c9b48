// ESLint flat config (issue 11.9). A small rule set, each rule here for a reason:
// - typescript-eslint's `recommended` (syntax-only, no type information: linting the whole tree stays fast on a
//   2-core machine); `no-unused-vars` catches unused imports and variables.
// - `no-require-imports` is off: the code loads tfjs, onnxruntime and the AWS SDK lazily with `require()` on
//   purpose (a cold Lambda or a `residual --help` must not pay for them); tsc still types those calls.
// - jest: no skipped or focused tests. A test that needs a tool the machine may lack (chromium, moto) is not
//   skipped: it runs and fails loudly with the reason, or is selected with a conditional whose message says why.
// - @stylistic/max-len 140 (the team's limit); URLs and regular expression literals are exempt, strings are not.
// Formatting beyond line length is left to review: a whole-tree formatter run would rewrite every file at once.
import tseslint from 'typescript-eslint';
import stylistic from '@stylistic/eslint-plugin';
import jest from 'eslint-plugin-jest';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'cdk.out/', 'coverage/', '.demo/', '.bench/', 'training/wasm-kernels/build/'],
  },
  ...tseslint.configs.recommended,
  {
    plugins: { '@stylistic': stylistic },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', {
        argsIgnorePattern: '^_',
        varsIgnorePattern: '^_',
        caughtErrors: 'none',
        ignoreRestSiblings: true,
      }],
      '@stylistic/max-len': ['error', {
        code: 140,
        tabWidth: 2,
        ignoreUrls: true,
        ignoreRegExpLiterals: true,
      }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    files: ['test/**/*.ts'],
    plugins: { jest },
    languageOptions: { globals: jest.environments.globals.globals },
    rules: {
      'jest/no-disabled-tests': 'error',
      'jest/no-focused-tests': 'error',
      'jest/no-identical-title': 'error',
      // `const maybeTest = tool ? test : test.skip` hides a skip from no-disabled-tests: forbid the reference too.
      'no-restricted-syntax': ['error', {
        selector: 'MemberExpression[object.name=/^(test|it|describe)$/][property.name=/^(skip|only|todo)$/]',
        message: 'No skipped or focused tests: a test whose tool is missing runs and fails with the reason.',
      }],
    },
  },
);
