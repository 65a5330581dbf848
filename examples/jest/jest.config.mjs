// Jest runs the same web code as examples/vitest, the way people set Jest up:
// - CommonJS (Jest's default: no flags, no transform): `require('mediacapture/global')` loads the
//   package's CommonJS build; `*.test.cjs`.
// - ESM: `import 'mediacapture/global'` needs Node's VM modules; `*.test.mjs`, run with
//     node --experimental-vm-modules node_modules/jest/bin/jest.js -c examples/jest/jest.config.mjs
// each under jsdom and under the node environment (the @jest-environment comment of each file).
export default {
  rootDir: '../..',
  testMatch: ['<rootDir>/examples/jest/**/*.test.{mjs,cjs}'],
  testEnvironment: 'jsdom',
  transform: {},
};
