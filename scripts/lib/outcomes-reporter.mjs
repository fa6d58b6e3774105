// A vitest reporter that writes which tests failed and which passed only on a retry to the JSON file named
// by TT_OUTCOMES_FILE. `npm test` prints both lists next to its totals line, so a CI log whose tail is all
// anyone sees still names the test that failed, and a test that needed its retry is never silent.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';

export default class OutcomesReporter {
  failed = [];
  flaky = [];

  onTestCaseResult(testCase) {
    const result = testCase.result();
    const diagnostic = testCase.diagnostic();
    const where = { file: relative(process.cwd(), testCase.module.moduleId), name: testCase.fullName };
    if (result.state === 'failed') {
      const message = String(result.errors?.[0]?.message ?? 'failed').split('\n')[0].slice(0, 300);
      this.failed.push({ ...where, error: message });
    } else if (result.state === 'passed' && diagnostic?.flaky) {
      this.flaky.push({ ...where, retries: diagnostic.retryCount });
    }
  }

  onTestRunEnd(_modules, unhandledErrors) {
    const file = process.env.TT_OUTCOMES_FILE;
    if (!file) return;
    const unhandled = (unhandledErrors ?? []).map((error) => String(error?.message ?? error).split('\n')[0].slice(0, 300));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ failed: this.failed, flaky: this.flaky, unhandled }, null, 2));
  }
}
