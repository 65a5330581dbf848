// The widget's test file under Jest as most CommonJS projects set it up: Babel turns `import` into
// `require` (here its CommonJS modules plugin; @babel/preset-env does the same), and `require`
// loads the package's CommonJS build (dist/cjs). Run without --experimental-vm-modules:
//   node node_modules/jest/bin/jest.js -c examples/jest/jest.cjs.config.mjs
const root = new URL('../..', import.meta.url).pathname;

export default {
  rootDir: root,
  displayName: 'widget (jsdom, CommonJS)',
  testMatch: ['<rootDir>/examples/widget/*.test.js'],
  testEnvironment: 'jsdom',
  transform: { '\\.js$': ['babel-jest', { plugins: ['@babel/plugin-transform-modules-commonjs'] }] },
  setupFilesAfterEnv: ['mediacapture/jest'],
};
