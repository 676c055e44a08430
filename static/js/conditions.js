/*
 * Rifd conditions: the browser twin of forms/conditions/.
 *
 * Parses and evaluates the visible_if / required_if language of form definitions, so
 * fields show and hide as the person types. The server runs forms/conditions/ on
 * the same definitions and must reach the same answer: both are checked against
 * tests/condition_cases.json. No eval, no Function(): a tokenizer, a precedence
 * parser and a tree-walking evaluator. See forms/conditions/ for the language.
 *
 * Where JavaScript and Python differ by default, this file does it Python's way:
 * positions and lengths count code points (Array.from), text ordering is by code
 * point, whitespace is the SPACES set below, and arithmetic is rounded by hand.
 *
 * Browser: window.RifdConditions. Node: require('.../conditions.js').
 * API: parse(expr), names(expr) (sorted array), evaluate(expr, values) -> boolean,
 * valueOf(expr, values). values is a plain object or a Map; a missing name is null.
 */
(function (root, factory) {
  'use strict';
  if (typeof module === 'object' && module.exports) {
    module.exports = factory();
  } else {
    root.RifdConditions = factory();
  }
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  const MAX_LENGTH = 2000;
  const MAX_DEPTH = 50;
  // Longest text concat() may build; past it the result is null (see forms/conditions/).
  const MAX_TEXT = 10000;
  // The whitelist, with each function's [least, most] arguments (null: no limit).
  // Order breaks ties in hints.
  const FUNCTIONS = new Map([
    ['selected', [2, 2]], ['count', [1, 1]], ['empty', [1, 1]], ['filled', [1, 1]],
    ['length', [1, 1]], ['number', [1, 1]], ['if', [3, 3]], ['concat', [1, null]],
    ['count_selected', [1, 1]], ['string_length', [1, 1]], ['today', [0, 0]], ['now', [0, 0]],
    ['age', [1, 1]], ['min', [1, null]], ['max', [1, null]], ['sum', [1, null]],
    ['choice', [1, 1]], ['round', [1, 2]], ['position', [0, 0]],
  ]);
  // Where a choice filter's values hold the choice being decided on (no field is so named).
  const CHOICE_KEY = '@choice';
  // Where a repeat row's values hold the row's number, read by position().
  const ROW_KEY = '@row';
  // XLSForm's spellings, read as one name when written without spaces.
  const HYPHENATED = [['count-selected', 'count_selected'], ['string-length', 'string_length']];
  const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ].*)?$/;
  const CONSTANTS = new Map([['true', true], ['false', false], ['null', null]]);
  const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false', 'null']);
  const SPACES = ' \t\n\r\f\v\u00a0\u200e\u200f\u061c\ufeff';
  const DIGIT_CHARS = '0123456789\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669' +
    '\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9';
  const NUMERIC = /^[+-]?[0-9]+(?:\.[0-9]+)?$/;
  const OPERATORS = ['==', '!=', '<=', '>=', '=', '<', '>', '+', '-', '*', '/', '(', ')', ','];
  const MISTAKES = [
    ['&&', 'use "and" instead of "&&"'],
    ['||', 'use "or" instead of "||"'],
    ['!', 'use "not" or "!=" instead of "!"'],
    ['${', 'write field names without "${ }"'],
  ];
  const COMPARISONS = ['==', '!=', '<', '<=', '>', '>='];
  const SAFE_INTEGER = 9007199254740992; // 2 ** 53
  const CACHE_SIZE = 1024;
  const cache = new Map();

  class ConditionError extends Error {
    constructor(problem, position) {
      super(problem + ' at ' + position);
      this.name = 'ConditionError';
      this.problem = problem;
      this.position = position;
    }
  }

  function node(kind, value, args, pos) {
    return Object.freeze({ kind: kind, value: value, args: Object.freeze(args || []), pos: pos });
  }

  function parse(expr) {
    if (typeof expr !== 'string') {
      throw new TypeError('a condition is a string, not ' + typeof expr);
    }
    if (cache.has(expr)) return cache.get(expr);
    // Each code point is at most two UTF-16 units, so a very long string is refused
    // before Array.from has to copy it.
    const chars = expr.length > 2 * MAX_LENGTH ? null : Array.from(expr);
    if (chars === null || chars.length > MAX_LENGTH) {
      throw new ConditionError(
        'condition is too long (the limit is ' + MAX_LENGTH + ' characters)', MAX_LENGTH);
    }
    const tokens = tokenize(chars);
    if (tokens[0].kind === 'end') throw new ConditionError('empty condition', 0);
    const parser = new Parser(tokens);
    const result = parser.parseOr();
    if (parser.tok.kind !== 'end') {
      throw new ConditionError('unexpected ' + describe(parser.tok), parser.tok.pos);
    }
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(expr, result);
    return result;
  }

  function toNode(exprOrNode) {
    return typeof exprOrNode === 'string' ? parse(exprOrNode) : exprOrNode;
  }

  function names(exprOrNode) {
    const found = new Set();
    const stack = [toNode(exprOrNode)];
    while (stack.length) {
      const current = stack.pop();
      if (current.kind === 'name') found.add(current.value);
      stack.push.apply(stack, current.args);
    }
    return Array.from(found).sort();
  }

  function valueOf(exprOrNode, values) {
    return evalNode(toNode(exprOrNode), values || {});
  }

  function evaluate(exprOrNode, values) {
    return truthy(valueOf(exprOrNode, values));
  }

  // Tokenizer ------------------------------------------------------------------------

  function token(kind, value, pos, text) {
    return { kind: kind, value: value, pos: pos, text: text };
  }

  function tokenize(chars) {
    const tokens = [];
    let i = 0;
    while (i < chars.length) {
      const c = chars[i];
      let read;
      if (SPACES.indexOf(c) !== -1) {
        i += 1;
        continue;
      }
      if (DIGIT_CHARS.indexOf(c) !== -1) read = readNumber(chars, i);
      else if (c === "'" || c === '"') read = readString(chars, i);
      else if (isWordChar(c)) read = readWord(chars, i); // digits were taken above
      else read = readOperator(chars, i);
      tokens.push(read[0]);
      i = read[1];
    }
    tokens.push(token('end', null, chars.length, ''));
    return tokens;
  }

  function isWordChar(c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_';
  }

  function isDigit(c) {
    return c !== undefined && DIGIT_CHARS.indexOf(c) !== -1;
  }

  function skipDigits(chars, i) {
    while (i < chars.length && isDigit(chars[i])) i += 1;
    return i;
  }

  function toAscii(text) {
    return text.replace(/[\u0660-\u0669\u066b\u06f0-\u06f9]/g, function (c) {
      if (c === '\u066b') return '.';
      const code = c.charCodeAt(0);
      return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
    });
  }

  function readNumber(chars, start) {
    let i = skipDigits(chars, start);
    if (i < chars.length && (chars[i] === '.' || chars[i] === '\u066b')) {
      if (!isDigit(chars[i + 1])) {
        throw new ConditionError('a digit must follow the decimal point', i);
      }
      i = skipDigits(chars, i + 1);
    }
    const text = chars.slice(start, i).join('');
    return [token('num', asNumber(Number(toAscii(text))), start, text), i];
  }

  function readString(chars, start) {
    const quote = chars[start];
    const out = [];
    let i = start + 1;
    while (i < chars.length) {
      let c = chars[i];
      if (c === quote) {
        return [token('str', out.join(''), start, chars.slice(start, i + 1).join('')), i + 1];
      }
      if (c === '\\' && i + 1 < chars.length) {
        if (chars[i + 1] !== "'" && chars[i + 1] !== '"' && chars[i + 1] !== '\\') {
          throw new ConditionError('unknown escape "\\' + chars[i + 1] + '" in string', i);
        }
        c = chars[i + 1];
        i += 1;
      }
      out.push(c);
      i += 1;
    }
    throw new ConditionError('unterminated string', start);
  }

  function readWord(chars, start) {
    for (const pair of HYPHENATED) {
      const end = start + pair[0].length;
      if (startsAt(chars, pair[0], start) && !(end < chars.length && isWordChar(chars[end]))) {
        return [token('name', pair[1], start, pair[0]), end];
      }
    }
    let i = start + 1;
    while (i < chars.length && isWordChar(chars[i])) i += 1;
    const word = chars.slice(start, i).join('');
    const lower = word.toLowerCase();
    if (word !== lower) {
      throw new ConditionError('"' + word + '" must be lowercase: write "' + lower + '"', start);
    }
    return [token(KEYWORDS.has(word) ? 'kw' : 'name', word, start, word), i];
  }

  function startsAt(chars, text, i) {
    return chars.slice(i, i + text.length).join('') === text;
  }

  function readOperator(chars, i) {
    for (const text of OPERATORS) {
      if (startsAt(chars, text, i)) {
        return [token('op', text === '=' ? '==' : text, i, text), i + text.length];
      }
    }
    for (const mistake of MISTAKES) {
      if (startsAt(chars, mistake[0], i)) throw new ConditionError(mistake[1], i);
    }
    throw new ConditionError('unexpected character "' + chars[i] + '"', i);
  }

  function describe(tok) {
    if (tok.kind === 'end') return 'end of condition';
    return tok.kind === 'str' ? 'string' : '"' + tok.text + '"';
  }

  // Parser ---------------------------------------------------------------------------

  class Parser {
    constructor(tokens) {
      this.tokens = tokens;
      this.i = 0;
      this.depth = 0;
    }

    get tok() {
      return this.tokens[this.i];
    }

    advance() {
      this.i += 1;
      return this.tokens[this.i - 1];
    }

    at(kind, values) {
      return this.tok.kind === kind && values.indexOf(this.tok.value) !== -1;
    }

    enter(pos) {
      this.depth += 1;
      if (this.depth > MAX_DEPTH) {
        throw new ConditionError(
          'condition is nested too deeply (the limit is ' + MAX_DEPTH + ')', pos);
      }
    }

    expectClose(problem) {
      if (!this.at('op', [')'])) {
        throw new ConditionError(problem + ' but found ' + describe(this.tok), this.tok.pos);
      }
      this.advance();
      this.depth -= 1;
    }

    parseOr() {
      return this.chain('or', () => this.parseAnd());
    }

    parseAnd() {
      return this.chain('and', () => this.parseNot());
    }

    chain(word, operand) {
      const items = [operand()];
      while (this.at('kw', [word])) {
        this.advance();
        items.push(operand());
      }
      return items.length === 1 ? items[0] : node(word, null, items, items[0].pos);
    }

    parseNot() {
      if (!this.at('kw', ['not'])) return this.parseComparison();
      const tok = this.advance();
      this.enter(tok.pos);
      const operand = this.parseNot();
      this.depth -= 1;
      return node('not', null, [operand], tok.pos);
    }

    parseComparison() {
      const left = this.parseSum();
      if (!this.at('op', COMPARISONS)) return left;
      const op = this.advance();
      const right = this.parseSum();
      if (this.at('op', COMPARISONS)) {
        throw new ConditionError(
          'comparisons cannot be chained: join them with "and"', this.tok.pos);
      }
      return node('compare', op.value, [left, right], op.pos);
    }

    parseSum() {
      return this.arithmetic(['+', '-'], () => this.parseProduct());
    }

    parseProduct() {
      return this.arithmetic(['*', '/'], () => this.parseUnary());
    }

    arithmetic(ops, operand) {
      const items = [operand()];
      const operators = [];
      while (this.at('op', ops)) {
        operators.push(this.advance().value);
        items.push(operand());
      }
      if (!operators.length) return items[0];
      return node('arith', Object.freeze(operators), items, items[0].pos);
    }

    parseUnary() {
      if (!this.at('op', ['-'])) return this.parsePrimary();
      const tok = this.advance();
      this.enter(tok.pos);
      const operand = this.parseUnary();
      this.depth -= 1;
      return node('neg', null, [operand], tok.pos);
    }

    parsePrimary() {
      const tok = this.advance();
      if (tok.kind === 'num' || tok.kind === 'str') return node('literal', tok.value, [], tok.pos);
      if (tok.kind === 'kw' && CONSTANTS.has(tok.value)) {
        return node('literal', CONSTANTS.get(tok.value), [], tok.pos);
      }
      if (tok.kind === 'name') {
        if (this.at('op', ['('])) return this.parseCall(tok);
        return node('name', tok.value, [], tok.pos);
      }
      if (tok.kind === 'op' && tok.value === '(') {
        this.enter(tok.pos);
        const inner = this.parseOr();
        this.expectClose('expected ")"');
        return inner;
      }
      throw new ConditionError('unexpected ' + describe(tok), tok.pos);
    }

    parseCall(name) {
      // A Map, not an object: "constructor" or "__proto__" must not look like a function.
      if (!FUNCTIONS.has(name.value)) {
        throw new ConditionError(unknownFunction(name.value), name.pos);
      }
      this.enter(this.advance().pos);
      const args = [];
      if (!this.at('op', [')'])) {
        args.push(this.parseOr());
        while (this.at('op', [','])) {
          this.advance();
          args.push(this.parseOr());
        }
      }
      this.expectClose('expected "," or ")"');
      const least = FUNCTIONS.get(name.value)[0];
      const most = FUNCTIONS.get(name.value)[1];
      if (args.length < least || (most !== null && args.length > most)) {
        const plural = least === 1 ? 'argument' : 'arguments';
        const wanted = least === most ? String(least) : 'at least ' + least;
        throw new ConditionError(
          '"' + name.value + '" takes ' + wanted + ' ' + plural + ', not ' + args.length,
          name.pos);
      }
      return node('call', name.value, args, name.pos);
    }
  }

  function unknownFunction(name) {
    let best = null;
    let bestDistance = Infinity;
    for (const known of FUNCTIONS.keys()) {
      const d = distance(name, known);
      if (d < bestDistance) {
        best = known;
        bestDistance = d;
      }
    }
    if (bestDistance <= 2) return 'unknown function "' + name + '" (did you mean "' + best + '"?)';
    return 'unknown function "' + name + '" (known: ' + Array.from(FUNCTIONS.keys()).join(', ') + ')';
  }

  function distance(a, b) {
    // Levenshtein distance, over code points like Python's.
    const x = Array.from(a);
    const y = Array.from(b);
    const row = [];
    for (let j = 0; j <= y.length; j++) row.push(j);
    for (let i = 1; i <= x.length; i++) {
      let previous = row[0];
      row[0] = i;
      for (let j = 1; j <= y.length; j++) {
        const next = Math.min(row[j] + 1, row[j - 1] + 1, previous + (x[i - 1] !== y[j - 1] ? 1 : 0));
        previous = row[j];
        row[j] = next;
      }
    }
    return row[y.length];
  }

  // Evaluator ------------------------------------------------------------------------

  function lookup(values, name) {
    // Own properties only: a field called "constructor" or "__proto__" is just missing.
    if (values instanceof Map) return values.has(name) ? values.get(name) : null;
    return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : null;
  }

  function evalNode(n, values) {
    const args = n.args;
    switch (n.kind) {
      case 'literal':
        return n.value;
      case 'name':
        return fromValue(lookup(values, n.value));
      case 'not':
        return !truthy(evalNode(args[0], values));
      case 'and':
        return args.every(function (arg) { return truthy(evalNode(arg, values)); });
      case 'or':
        return args.some(function (arg) { return truthy(evalNode(arg, values)); });
      case 'neg': {
        const number = numeric(evalNode(args[0], values));
        return number === null ? null : tidy(-number);
      }
      case 'compare':
        return compare(n.value, evalNode(args[0], values), evalNode(args[1], values));
      case 'arith': {
        let result = evalNode(args[0], values);
        for (let k = 1; k < args.length; k++) {
          result = arithmetic(n.value[k - 1], result, evalNode(args[k], values));
        }
        return result;
      }
      case 'call':
        if (n.value === 'position') return lookup(values, ROW_KEY);
        if (n.value === 'choice') return choiceData(lookup(values, CHOICE_KEY), evalNode(args[0], values));
        return call(n.value, args.map(function (arg) { return evalNode(arg, values); }));
    }
    throw new Error('unknown node kind ' + n.kind);
  }

  /* One datum of the choice a filter decides on (forms/conditions/evaluator.py). */
  function choiceData(choice, key) {
    if (!choice || typeof choice !== 'object' || typeof key !== 'string') return null;
    return fromValue(Object.prototype.hasOwnProperty.call(choice, key) ? choice[key] : null);
  }

  function fromValue(value) {
    if (value === null || value === undefined) return null;
    if (typeof value === 'boolean' || typeof value === 'string') return value;
    if (typeof value === 'number') return asNumber(value);
    if (Array.isArray(value)) {
      const items = value.map(fromValue);
      if (items.some(Array.isArray)) throw new TypeError('a condition cannot use a list inside a list');
      return items;
    }
    throw new TypeError('a condition cannot use a value of type ' + typeof value);
  }

  function asNumber(value) {
    if (typeof value !== 'number' || !isFinite(value)) return null;
    return value === 0 ? 0 : value; // no -0
  }

  function tidy(number) {
    // Round to 10 decimal places with the same float steps as forms/conditions/.
    const scaled = number * 1e10;
    if (isFinite(scaled) && Math.abs(scaled) < SAFE_INTEGER / 2) {
      let whole = Math.floor(scaled);
      if (scaled - whole >= 0.5) whole += 1;
      number = whole / 1e10;
    }
    return asNumber(number);
  }

  function truthy(value) {
    if (value === null) return false;
    if (Array.isArray(value)) return value.length > 0;
    if (typeof value === 'number') return value !== 0;
    if (typeof value === 'string') return value !== '';
    return value === true;
  }

  function blank(value) {
    return value === null ||
      ((typeof value === 'string' || Array.isArray(value)) && value.length === 0);
  }

  function trim(text) {
    let start = 0;
    let end = text.length;
    while (start < end && SPACES.indexOf(text[start]) !== -1) start += 1;
    while (end > start && SPACES.indexOf(text[end - 1]) !== -1) end -= 1;
    return text.slice(start, end);
  }

  function numeric(value) {
    if (typeof value === 'number') return value;
    if (typeof value === 'string') {
      const text = trim(toAscii(value));
      if (NUMERIC.test(text)) return asNumber(Number(text));
    }
    return null;
  }

  function ordered(op, a, b) {
    switch (op) {
      case '<': return a < b;
      case '<=': return a <= b;
      case '>': return a > b;
      case '>=': return a >= b;
    }
    throw new Error('unknown comparison ' + op);
  }

  function compareText(a, b) {
    // By code point, as Python does; JavaScript's < goes by UTF-16 unit.
    const x = Array.from(a);
    const y = Array.from(b);
    for (let k = 0; k < x.length && k < y.length; k++) {
      const d = x[k].codePointAt(0) - y[k].codePointAt(0);
      if (d !== 0) return d;
    }
    return x.length - y.length;
  }

  function compare(op, left, right) {
    if (op === '==') return equal(left, right);
    if (op === '!=') return !equal(left, right);
    if (blank(left) || blank(right)) return false;
    if (typeof left === 'boolean' || typeof right === 'boolean') return false;
    const a = numeric(left);
    const b = numeric(right);
    if (a !== null && b !== null) return ordered(op, a, b);
    if (typeof left === 'string' && typeof right === 'string' && a === null && b === null) {
      return ordered(op, compareText(left, right), 0);
    }
    return false;
  }

  function equal(left, right) {
    if (blank(left) || blank(right)) return blank(left) && blank(right);
    const leftList = Array.isArray(left);
    const rightList = Array.isArray(right);
    if (leftList && rightList) {
      return left.every(function (a) { return right.some(function (b) { return equal(a, b); }); }) &&
        right.every(function (b) { return left.some(function (a) { return equal(a, b); }); });
    }
    if (leftList) return left.some(function (item) { return equal(item, right); });
    if (rightList) return right.some(function (item) { return equal(left, item); });
    if (typeof left === 'boolean' || typeof right === 'boolean') return left === right;
    if (typeof left === 'string' && typeof right === 'string') return left === right;
    const a = numeric(left);
    return a !== null && a === numeric(right);
  }

  function arithmetic(op, left, right) {
    const a = numeric(left);
    const b = numeric(right);
    if (a === null || b === null || (op === '/' && b === 0)) return null;
    switch (op) {
      case '+': return tidy(a + b);
      case '-': return tidy(a - b);
      case '*': return tidy(a * b);
      case '/': return tidy(a / b);
    }
    throw new Error('unknown operator ' + op);
  }

  function asText(value) {
    if (value === null) return '';
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if (typeof value === 'number') return String(value);
    if (Array.isArray(value)) return value.map(asText).join(' ');
    return value;
  }

  function concat(args) {
    const text = args.map(asText).join('');
    return Array.from(text).length <= MAX_TEXT ? text : null;
  }

  function numbers(args) {
    // Every non-blank item of the arguments (lists opened) as a number, or null.
    const found = [];
    for (const arg of args) {
      for (const item of Array.isArray(arg) ? arg : [arg]) {
        if (blank(item)) continue;
        const number = numeric(item);
        if (number === null) return null;
        found.push(number);
      }
    }
    return found;
  }

  function aggregate(name, args) {
    const found = numbers(args);
    if (found === null) return null;
    if (name === 'sum') {
      let total = 0;
      for (const number of found) total = tidy(total + number);
      return tidy(total);
    }
    if (!found.length) return null;
    let best = found[0];
    for (const number of found) {
      if (name === 'min' ? number < best : number > best) best = number;
    }
    return best;
  }

  function pad(number) {
    return (number < 10 ? '0' : '') + number;
  }

  function todayParts() {
    const now = new Date();
    return [now.getFullYear(), now.getMonth() + 1, now.getDate()];
  }

  function today() {
    const t = todayParts();
    return String(t[0]).padStart(4, '0') + '-' + pad(t[1]) + '-' + pad(t[2]);
  }

  function roundTo(value, digits) {
    // To `digits` decimal places (0 to 10), half up, with forms/conditions/'s float steps.
    const number = numeric(value);
    const places = numeric(digits);
    if (number === null || places === null || !Number.isInteger(places) || places < 0 || places > 10) {
      return null;
    }
    const scale = Math.pow(10, places);
    const scaled = number * scale;
    if (!isFinite(scaled) || Math.abs(scaled) >= SAFE_INTEGER / 2) return tidy(number);
    let whole = Math.floor(scaled);
    if (scaled - whole >= 0.5) whole += 1;
    return tidy(whole / scale);
  }

  function now() {
    // The date and time to the minute, as a datetime field holds it (2026-03-15T10:05).
    const at = new Date();
    return today() + 'T' + pad(at.getHours()) + ':' + pad(at.getMinutes());
  }

  function isoDate(value) {
    // [year, month, day] of an ISO text (a date, or a date and time), or null.
    const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
    if (!match) return null;
    const y = Number(match[1]);
    const m = Number(match[2]);
    const d = Number(match[3]);
    const check = new Date(2000, m - 1, d);
    check.setFullYear(y);
    if (y < 1 || check.getFullYear() !== y || check.getMonth() !== m - 1 || check.getDate() !== d) {
      return null;
    }
    return [y, m, d];
  }

  function age(value) {
    // Whole years from a date to today, or null (not a date, or to come).
    const born = isoDate(value);
    if (born === null) return null;
    const now = todayParts();
    const before = now[1] < born[1] || (now[1] === born[1] && now[2] < born[2]);
    if (born[0] > now[0] || (born[0] === now[0] && before)) return null;
    return now[0] - born[0] - (before ? 1 : 0);
  }

  function call(name, args) {
    const value = args.length ? args[0] : null;
    switch (name) {
      case 'if':
        return truthy(value) ? args[1] : args[2];
      case 'concat':
        return concat(args);
      case 'sum':
      case 'min':
      case 'max':
        return aggregate(name, args);
      case 'today':
        return today();
      case 'now':
        return now();
      case 'round':
        return roundTo(value, args.length > 1 ? args[1] : 0);
      case 'age':
        return age(value);
      case 'selected':
        if (Array.isArray(value)) return value.some(function (item) { return equal(item, args[1]); });
        return !blank(value) && equal(value, args[1]);
      case 'count':
      case 'count_selected':
        if (Array.isArray(value)) return value.length;
        return blank(value) ? 0 : 1;
      case 'empty':
        return blank(value);
      case 'filled':
        return !blank(value);
      case 'length':
      case 'string_length':
        if (typeof value === 'string') return Array.from(value).length;
        return value === null ? 0 : null;
      case 'number':
        if (typeof value === 'boolean') return value ? 1 : 0;
        return numeric(value);
    }
    throw new Error('unknown function ' + name);
  }

  return {
    parse: parse,
    names: names,
    evaluate: evaluate,
    valueOf: valueOf,
    ConditionError: ConditionError,
    MAX_LENGTH: MAX_LENGTH,
    MAX_DEPTH: MAX_DEPTH,
  };
});
