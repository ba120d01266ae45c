/** One jest project per package; TypeScript is transpiled by swc (type errors are the typecheck target's job). */
const packages = ['core', 'classification', 'pose', 'quant'];

const transform = {
  '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2021', parser: { syntax: 'typescript' } } }],
};

const packageProjects = packages.map((name) => ({
  displayName: name,
  rootDir: `<rootDir>/packages/${name}`,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  transform,
  moduleNameMapper: { '^@ausam/([a-z]+)$': '<rootDir>/../$1/src' },
  setupFiles: ['<rootDir>/../../jest.setup.js'],
}));

const benchProject = {
  displayName: 'bench',
  rootDir: '<rootDir>/tools/bench',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.test.ts'],
  transform,
  moduleNameMapper: { '^@ausam/([a-z]+)$': '<rootDir>/../../packages/$1/src' },
  setupFiles: ['<rootDir>/../../jest.setup.js'],
};

module.exports = {
  testTimeout: 120000,
  projects: [...packageProjects, benchProject],
};
