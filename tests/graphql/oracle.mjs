// The side-by-side oracle: every document of corpus/*.json runs through graphql-js 16 and
// through Leadline's engine (the program named on the command line), over the same SDL
// (schema.graphql) and the same data (fixture.json). Their responses must have equal `data`
// (or both none) and errors with equal `locations` and `path`; messages may differ.
//   node tests/graphql/oracle.mjs BUILD/tests/leadline_graphql_oracle [--verbose] [--only NAME]
//        [--corpus DIR]
// Exits 77 (skipped) when graphql-js is not installed (npm ci in tests/graphql).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
let graphql;
try {
  graphql = await import('graphql');
} catch {
  console.log('SKIPPED: graphql-js is not installed; run `npm ci` in tests/graphql (scripts/test.sh does).');
  process.exit(77);
}
const { buildSchema, parse, validate, execute } = graphql;

const [engine, ...flags] = process.argv.slice(2);
const verbose = flags.includes('--verbose');
const flag = (name) => (flags.includes(name) ? flags[flags.indexOf(name) + 1] : null);
const only = flag('--only');
if (!engine) {
  console.error('usage: oracle.mjs ENGINE_PROGRAM [--verbose] [--only NAME]');
  process.exit(2);
}

const sdlPath = join(here, 'schema.graphql');
const fixturePath = join(here, 'fixture.json');
const corpusDir = flag('--corpus') ?? join(here, 'corpus');
const schema = buildSchema(readFileSync(sdlPath, 'utf8'));
const fixture = JSON.parse(readFileSync(fixturePath, 'utf8'));

function deref(value) {
  if (Array.isArray(value)) return value.map(deref);
  if (value && typeof value === 'object' && '$ref' in value) return fixture.objects[value.$ref];
  return value;
}

// The default resolution both engines follow.
function fieldResolver(source, args, context, info) {
  const key = `${info.parentType.name}.${info.fieldName}`;
  if (fixture.errors.includes(key) || (source.$errors ?? []).includes(info.fieldName)) {
    throw new Error(`Failed to resolve ${key}`);
  }
  let value = source[info.fieldName];
  if (value === '$args') return JSON.stringify(args);
  value = deref(value);
  if (Array.isArray(value) && typeof args.first === 'number') {
    value = value.slice(0, Math.max(args.first, 0));
  }
  return value;
}
const typeResolver = (value) => value.__typename;

function reference(testCase) {
  let document;
  try {
    document = parse(testCase.query);
  } catch (error) {
    return { errors: [error.toJSON()] };
  }
  const errors = validate(schema, document);
  if (errors.length > 0) return { errors: errors.map((e) => e.toJSON()) };
  const result = execute({
    schema, document, rootValue: fixture.root, variableValues: testCase.variables ?? {},
    operationName: testCase.operationName, fieldResolver, typeResolver,
  });
  return JSON.parse(JSON.stringify(result));
}

const cases = [];
for (const file of readdirSync(corpusDir).filter((f) => f.endsWith('.json')).sort()) {
  for (const testCase of JSON.parse(readFileSync(join(corpusDir, file), 'utf8'))) {
    cases.push({ ...testCase, file });
  }
}
const names = new Set();
for (const testCase of cases) {
  if (names.has(testCase.name)) throw new Error(`two cases are named ${testCase.name}`);
  names.add(testCase.name);
}

const output = execFileSync(engine, [sdlPath, fixturePath, corpusDir], {
  maxBuffer: 1 << 30, encoding: 'utf8',
});
const ours = new Map();
for (const line of output.split('\n').filter(Boolean)) {
  const { name, response } = JSON.parse(line);
  ours.set(name, response);
}

const shape = (errors) =>
  (errors ?? []).map((e) => JSON.stringify({ locations: e.locations ?? [], path: e.path ?? [] })).sort();

let failed = 0;
let valid = 0;
for (const testCase of cases) {
  if (only && testCase.name !== only) continue;
  const expected = reference(testCase);
  const actual = ours.get(testCase.name);
  if (!expected.errors) valid++;
  const problems = [];
  if (actual === undefined) {
    problems.push('no response from the engine');
  } else {
    if (('data' in expected) !== ('data' in actual)) problems.push('one response has data, the other none');
    else if (!isDeepStrictEqual(expected.data, actual.data)) problems.push('data differ');
    if (!isDeepStrictEqual(shape(expected.errors), shape(actual.errors))) {
      problems.push('error locations or paths differ');
    }
  }
  if (problems.length > 0) {
    failed++;
    console.log(`FAIL ${testCase.file} ${testCase.name}: ${problems.join('; ')}`);
    console.log(`  graphql-js: ${JSON.stringify(expected)}`);
    console.log(`  leadline:   ${JSON.stringify(actual)}`);
  } else if (verbose) {
    console.log(`ok   ${testCase.name}`);
  }
}
const total = only ? 1 : cases.length;
console.log(`${total - failed} of ${total} documents agree with graphql-js ` +
  `(${valid} answered without errors, ${total - valid} with errors)`);
process.exit(failed === 0 ? 0 : 1);
