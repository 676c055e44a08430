// Run tests/condition_cases.json through static/js/conditions.js and print the results.
//
// Prints {"cases": [...], "errors": [...]} as JSON, one entry per row of the table, in
// order: {"result", "value"} when the condition ran, {"error", "position"} when it raised
// a ConditionError, {"crash"} for anything else. tests/test_conditions.py judges them.
'use strict';

const fs = require('fs');
const path = require('path');

const conditions = require(path.join(__dirname, '..', '..', 'static', 'js', 'conditions.js'));
const tablePath = process.argv[2] || path.join(__dirname, '..', 'condition_cases.json');
const table = JSON.parse(fs.readFileSync(tablePath, 'utf8'));

function run(row) {
  const values = row.values || {};
  try {
    return {
      result: conditions.evaluate(row.expr, values),
      value: conditions.valueOf(row.expr, values),
    };
  } catch (e) {
    if (e instanceof conditions.ConditionError) return { error: e.message, position: e.position };
    return { crash: String(e && e.stack ? e.stack : e) };
  }
}

process.stdout.write(JSON.stringify({ cases: table.cases.map(run), errors: table.errors.map(run) }));
