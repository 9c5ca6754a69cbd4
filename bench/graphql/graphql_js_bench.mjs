// The peer of bench/graphql_bench.cpp: graphql-js 16 (from tests/graphql/node_modules) parsing,
// validating and executing the same query over the same SDL and fixture with the oracle's
// default resolution. Prints the mean microseconds per request.
//   node bench/graphql/graphql_js_bench.mjs SCHEMA FIXTURE QUERY VARIABLES_JSON ITERATIONS
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(repo, 'tests', 'graphql', 'package.json'));
const { buildSchema, parse, validate, execute } = require('graphql');

const [schemaPath, fixturePath, query, variablesJson, iterationsText] = process.argv.slice(2);
const schema = buildSchema(readFileSync(schemaPath, 'utf8'));
const fixture = JSON.parse(readFileSync(fixturePath, 'utf8'));
const variableValues = JSON.parse(variablesJson);
const iterations = Number(iterationsText);

const deref = (v) => (Array.isArray(v) ? v.map(deref)
  : v && typeof v === 'object' && '$ref' in v ? fixture.objects[v.$ref] : v);
function fieldResolver(source, args, context, info) {
  const key = `${info.parentType.name}.${info.fieldName}`;
  if (fixture.errors.includes(key) || (source.$errors ?? []).includes(info.fieldName)) {
    throw new Error(`Failed to resolve ${key}`);
  }
  let value = source[info.fieldName];
  if (value === '$args') return JSON.stringify(args);
  value = deref(value);
  if (Array.isArray(value) && typeof args.first === 'number') value = value.slice(0, Math.max(args.first, 0));
  return value;
}
const typeResolver = (value) => value.__typename;

function once() {
  const document = parse(query);
  const errors = validate(schema, document);
  if (errors.length > 0) throw errors[0];
  const result = execute({ schema, document, rootValue: fixture.root, variableValues,
    fieldResolver, typeResolver });
  return JSON.stringify(result);
}
for (let i = 0; i < Math.min(iterations, 2000); i++) once();  // warm up the JIT
const start = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) once();
const elapsed = Number(process.hrtime.bigint() - start) / 1e3;
console.log((elapsed / iterations).toFixed(3));
