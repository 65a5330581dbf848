// @vitest-environment jsdom
import { canvasSuite } from './canvas.suite.js';

canvasSuite('jsdom');
