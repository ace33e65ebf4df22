/** The end-to-end test of stream-e2e-case.ts with the lake in a folder. */
import { describeStreamE2e } from './stream-e2e-case.js';

describeStreamE2e('folder');
