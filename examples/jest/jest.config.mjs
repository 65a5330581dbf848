// Jest runs the same web code as examples/vitest, under jsdom. ESM needs Node's VM modules:
//   node --experimental-vm-modules node_modules/jest/bin/jest.js -c examples/jest/jest.config.mjs
export default {
  rootDir: '../..',
  testMatch: ['<rootDir>/examples/jest/**/*.test.mjs'],
  testEnvironment: 'jsdom',
  transform: {},
};
