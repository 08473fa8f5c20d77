const Sequencer = require('@jest/test-sequencer').default;

/** Runs the spec files in name order (e2e-journeys before faults), whatever jest's cache says. */
class ByName extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => a.path.localeCompare(b.path));
  }
}
module.exports = ByName;
