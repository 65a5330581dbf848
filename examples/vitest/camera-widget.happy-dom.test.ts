// @vitest-environment happy-dom
import 'mediacapture/global';
import { cameraWidgetSuite } from './camera-widget.suite.js';

/** The same web code, tested under happy-dom with the built-in synthetic devices. */
cameraWidgetSuite('happy-dom');
