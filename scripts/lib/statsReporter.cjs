// Mocha reporter = the normal `spec` output + a JSON of the counts written to $NT_MOCHA_STATS,
// so scripts/test.mjs can total stages without parsing text.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file: mocha loads reporters with require() */
/* global require, module */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const mocha = require('mocha');

const { Spec } = mocha.reporters;

class StatsReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    const failures = [];
    runner.on('fail', (test, err) => {
      failures.push({ title: test.fullTitle(), error: String((err && err.message) || err).slice(0, 2000) });
    });
    runner.once('end', () => {
      const out = process.env.NT_MOCHA_STATS;
      if (!out) return;
      const s = this.stats;
      const data = { passed: s.passes, failed: s.failures, pending: s.pending, durationMs: s.duration ?? 0, failures };
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(`${out}.tmp`, JSON.stringify(data));
      fs.renameSync(`${out}.tmp`, out);
    });
  }
}

module.exports = StatsReporter;
