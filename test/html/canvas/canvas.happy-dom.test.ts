// @vitest-environment happy-dom
import { canvasSuite } from './canvas.suite.js';

canvasSuite('happy-dom');
