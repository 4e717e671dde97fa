// The node test environment, plus: a test that passes but took longer than its timeout fails.
// Jest's timeout only stops a test that yields; a synchronous test that overruns it would pass.
// The limit is the one jest itself applies: the test's own timeout argument, else jest.setTimeout,
// else testTimeout in jest.config.cjs.
const { TestEnvironment } = require("jest-environment-node");

class TimedEnvironment extends TestEnvironment {
  started = new WeakMap();

  handleTestEvent(event, state) {
    if (event.name === "test_fn_start") this.started.set(event.test, performance.now());
    if (event.name !== "test_fn_success") return;
    const took = performance.now() - (this.started.get(event.test) ?? performance.now());
    const limit = event.test.timeout || state.testTimeout;
    if (took > limit) {
      const error = new Error(`this test took ${Math.round(took)} ms, over its timeout of ${limit} ms (jest.setTimeout or the test's own timeout); make it faster or give it a longer timeout`);
      error.stack = error.message;
      event.test.errors.push(error);
    }
  }
}

module.exports = TimedEnvironment;
