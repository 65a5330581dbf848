// @vitest-environment jsdom
import 'mediacapture/global';
import { cameraWidgetSuite } from './camera-widget.suite.js';

/** The same web code, tested under jsdom with the built-in synthetic devices. */
cameraWidgetSuite('jsdom');
