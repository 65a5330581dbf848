// Jest runs the same web code as examples/vitest, the way people set Jest up:
// - CommonJS (Jest's default: no flags, no transform): `require('mediacapture/global')` loads the
//   package's CommonJS build; `*.test.cjs`.
// - ESM: `import 'mediacapture/global'` needs Node's VM modules; `*.test.mjs`, and the widget's
//   test file (examples/widget), run with
//     node --experimental-vm-modules node_modules/jest/bin/jest.js -c examples/jest/jest.config.mjs
// each under jsdom and under the node environment (the @jest-environment comment of each file).
// examples/jest/jest.cjs.config.mjs runs the widget's test file as CommonJS.
const root = new URL('../..', import.meta.url).pathname;

export default {
  rootDir: root,
  projects: [
    {
      displayName: 'examples/jest',
      rootDir: root,
      testMatch: ['<rootDir>/examples/jest/**/*.test.{mjs,cjs}'],
      testEnvironment: 'jsdom',
      transform: {},
    },
    {
      displayName: 'widget (jsdom, ESM)',
      rootDir: root,
      testMatch: ['<rootDir>/examples/widget/*.test.js'],
      testEnvironment: 'jsdom',
      transform: {},
      setupFilesAfterEnv: ['mediacapture/jest'],
    },
  ],
};
