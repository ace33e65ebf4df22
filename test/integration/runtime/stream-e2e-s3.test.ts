/** The end-to-end test of stream-e2e-case.ts with the lake on S3 (the test suite's S3Proxy). */
import { describeStreamE2e } from './stream-e2e-case.js';

describeStreamE2e('s3');
