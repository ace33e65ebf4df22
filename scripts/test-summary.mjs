// Prints vitest's JSON report as one closing line, `tests: N passed, N failed, N skipped (T s)`, for CI readers.
import { existsSync, readFileSync } from 'node:fs';

const [file, seconds] = process.argv.slice(2);
if (!file || !existsSync(file)) {
  console.log('tests: 0 passed, 1 failed (no vitest report: the suite did not run)');
  process.exit(0);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
const failed = r.numFailedTests + (r.numFailedTestSuites ?? 0) - (r.numRuntimeErrorTestSuites ?? 0);
console.log(`tests: ${r.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
if (seconds) console.log(`npm test took ${seconds} s`);
