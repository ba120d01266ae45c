/** One jest project per package, one each for tools/bench, tools/smoke and tools/parity (its TypeScript side only; the PyTorch reference never runs in CI); TypeScript is transpiled by swc (type errors are the typecheck target's job). */
const packages = ['core', 'classification', 'pose', 'quant'];

const transform = {
  '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2021', parser: { syntax: 'typescript' } } }],
  // tfjs-core's gradient definitions (packages/core/src/runtime/backend/register-gradients.ts) are ES modules only.
  '^.+/node_modules/@tensorflow/tfjs-core/dist/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2021' }, module: { type: 'commonjs' } }],
};
/** node_modules stays untransformed except tfjs-core's ES-module files (its CommonJS bundle `tf-core.node.js` is left alone). */
const transformIgnorePatterns = ['/node_modules/(?!@tensorflow/tfjs-core/dist/(?!tf-core\\.))'];

const REGISTER_GRADIENTS = 'packages/core/src/runtime/backend/register-gradients.ts';

/** A jest project for the tests under `dir` (relative to the repo root), with `@ausam/*` mapped to sources. */
function project(displayName, dir, testMatch, extraSetupFiles = []) {
  const up = dir.split('/').map(() => '..').join('/');
  return {
    displayName,
    rootDir: `<rootDir>/${dir}`,
    testEnvironment: 'node',
    testMatch: [testMatch],
    transform,
    transformIgnorePatterns,
    moduleNameMapper: {
      '^@ausam/core/internal$': `<rootDir>/${up}/packages/core/src/internal.ts`,
      '^@ausam/core/layers$': `<rootDir>/${up}/packages/core/src/layers`,
      '^@ausam/([a-z]+)$': `<rootDir>/${up}/packages/$1/src`,
    },
    setupFiles: [`<rootDir>/${up}/jest.setup.js`, ...extraSetupFiles.map((file) => `<rootDir>/${up}/${file}`)],
  };
}

module.exports = {
  testTimeout: 120000,
  projects: [
    // Core's entry points (its index, `@ausam/core/internal`, selectBackend) register tfjs-core's
    // gradients; unit tests import single modules, so their setup registers them too.
    ...packages.map((name) => project(name, `packages/${name}`, '<rootDir>/src/**/*.test.ts', [REGISTER_GRADIENTS])),
    project('bench', 'tools/bench', '<rootDir>/**/*.test.ts'),
    project('smoke', 'tools/smoke', '<rootDir>/**/*.test.ts'),
    project('parity', 'tools/parity', '<rootDir>/*.test.ts'),
  ],
};
