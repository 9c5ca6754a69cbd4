// Checks the LookML project `leadline export lookml` wrote (docs/bi.md) with lookml-parser, and
// prints the SQL its views and explores would run, for the caller to run against PostgreSQL:
//   node tests/lookml/check.mjs DIR [--project KEY]
// Prints {"errors": [...], "queries": [{"what", "sql"}]} and exits 1 when there are errors.
// Checked: every file parses; the model has a connection, includes the views, and persists with
// a declared datagroup whose sql_trigger is set; explore, datagroup, view and field names are
// unique; every explore has an access_filter on a declared project_key field with the user
// attribute leadline_projects; every join's view exists with a relationship and an sql_on; every
// ${...} reference (in dimensions, measures and sql_on) resolves to a declared field, TABLE, or a
// view in the explore. Measures are turned into SQL as Looker does for PostgreSQL (count,
// count_distinct, sum, average, median, number; filters on yesno and string dimensions).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const parser = require('lookml-parser');

const args = process.argv.slice(2);
const dir = args[0];
const projectAt = args.indexOf('--project');
const project = projectAt >= 0 ? args[projectAt + 1] : 'pa';
if (!dir) {
  console.error('usage: node check.mjs DIR [--project KEY]');
  process.exit(2);
}

const errors = [];
const queries = [];
const fail = (message) => errors.push(message);

// Names declared more than once in one text ("explore: x {" twice): the parser keeps the last.
function duplicates(text, kind) {
  const seen = new Map();
  for (const match of text.matchAll(new RegExp(`^\\s*${kind}:\\s*([A-Za-z0-9_]+)\\s*\\{`, 'gm'))) {
    seen.set(match[1], (seen.get(match[1]) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([name]) => name);
}

const files = [];
function walk(at) {
  for (const entry of readdirSync(at, { withFileTypes: true })) {
    const path = join(at, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith('.lkml')) files.push(path);
  }
}
walk(dir);
// Explores, datagroups and views, per file (fields are checked per view below).
for (const path of files) {
  const text = readFileSync(path, 'utf8');
  for (const kind of ['explore', 'datagroup', 'view']) {
    for (const name of duplicates(text, kind)) fail(`${path}: ${kind} ${name} is declared twice`);
  }
}

process.chdir(dir);
const quiet = { log() {}, warn() {}, error() {}, info() {} };
const parsed = await parser.parseFiles({
  source: '**/*.{view,model}.lkml',
  fileOutput: 'by-name',
  console: quiet,
});
for (const error of parsed.errors ?? []) fail(`${error.$file_path}: ${error.error}`);
const models = Object.values(parsed.model ?? {});
if (models.length !== 1) fail(`expected one model, found ${models.length}`);
const model = models[0] ?? {};
const views = model.view ?? {};
const explores = model.explore ?? {};
const datagroups = model.datagroup ?? {};

if (!model.connection) fail('the model has no connection');
if (Object.keys(views).length === 0) fail('the model includes no view');
if (Object.keys(explores).length === 0) fail('the model has no explore');
if (!model.persist_with || !datagroups[model.persist_with]) {
  fail(`persist_with names no declared datagroup: ${model.persist_with}`);
}
for (const [name, group] of Object.entries(datagroups)) {
  if (!group.sql_trigger?.trim()) fail(`datagroup ${name} has no sql_trigger`);
  if (group.interval_trigger) fail(`datagroup ${name} has an interval_trigger (it wins over sql)`);
}

const TIMEFRAMES = {
  raw: (sql) => sql,
  time: (sql) => `DATE_TRUNC('second', ${sql})`,
  date: (sql) => `DATE(${sql})`,
  week: (sql) => `DATE_TRUNC('week', ${sql})`,
  month: (sql) => `DATE_TRUNC('month', ${sql})`,
  quarter: (sql) => `DATE_TRUNC('quarter', ${sql})`,
  year: (sql) => `DATE_TRUNC('year', ${sql})`,
};

// Every field a view declares: name -> {kind, sql, type, ...}.
function fieldsOf(viewName) {
  const view = views[viewName];
  const fields = new Map();
  const add = (name, field) => {
    if (fields.has(name)) fail(`view ${viewName}: field ${name} is declared twice`);
    fields.set(name, field);
  };
  for (const [name, d] of Object.entries(view.dimension ?? {})) add(name, { kind: 'dimension', ...d });
  for (const [name, g] of Object.entries(view.dimension_group ?? {})) {
    if (g.type !== 'time') fail(`view ${viewName}: dimension_group ${name} is not of type time`);
    for (const frame of g.timeframes ?? []) {
      if (!TIMEFRAMES[frame]) fail(`view ${viewName}: ${name} has an unknown timeframe ${frame}`);
      else add(`${name}_${frame}`, { kind: 'dimension', type: 'time', frame, sql: g.sql });
    }
  }
  for (const [name, m] of Object.entries(view.measure ?? {})) add(name, { kind: 'measure', ...m });
  return fields;
}
const fieldsByView = new Map(Object.keys(views).map((name) => [name, fieldsOf(name)]));

// The SQL of `viewName`'s field `name` with every reference replaced, as Looker writes it.
function fieldSql(viewName, name, stack = []) {
  const field = fieldsByView.get(viewName)?.get(name);
  if (!field) {
    fail(`\${${viewName}.${name}} names no declared field`);
    return 'NULL';
  }
  if (stack.includes(`${viewName}.${name}`)) {
    fail(`${viewName}.${name} refers to itself`);
    return 'NULL';
  }
  const inner = (sql) => expand(viewName, sql, [...stack, `${viewName}.${name}`]);
  if (field.kind === 'dimension') {
    const sql = inner(field.sql ?? `\${TABLE}.${name}`);
    return field.frame ? TIMEFRAMES[field.frame](sql) : sql;
  }
  // A measure: an aggregate over its rows, kept to the rows its filters let through.
  let condition = '';
  for (const [filtered, value] of Object.entries(field.filters ?? {})) {
    if (filtered.startsWith('$')) continue;
    const dimension = fieldsByView.get(viewName)?.get(filtered);
    if (!dimension || dimension.kind !== 'dimension') {
      fail(`${viewName}.${name}: the filter's field ${filtered} is no dimension`);
      continue;
    }
    const sql = fieldSql(viewName, filtered, [...stack, `${viewName}.${name}`]);
    let test;
    if (dimension.type === 'yesno' && (value === 'yes' || value === 'no')) {
      test = value === 'yes' ? `(${sql})` : `NOT (${sql})`;
    } else if (dimension.type === 'string' && /^[A-Za-z0-9_ -]+$/.test(value)) {
      test = `(${sql}) = '${value}'`;
    } else {
      fail(`${viewName}.${name}: a filter this check does not know: ${filtered}: ${value}`);
      continue;
    }
    condition += (condition ? ' AND ' : '') + test;
  }
  const over = (sql) => (condition ? `CASE WHEN ${condition} THEN ${sql} END` : sql);
  switch (field.type) {
    case 'count':
      return condition ? `COUNT(CASE WHEN ${condition} THEN 1 END)` : 'COUNT(*)';
    case 'count_distinct':
      return `COUNT(DISTINCT ${over(inner(field.sql))})`;
    case 'sum':
      return `COALESCE(SUM(${over(inner(field.sql))}), 0)`;
    case 'average':
      return `AVG(${over(inner(field.sql))})`;
    case 'median':
      return `PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY ${over(inner(field.sql))})`;
    case 'number':
      return inner(field.sql);
    default:
      fail(`${viewName}.${name}: a measure type this check does not know: ${field.type}`);
      return 'NULL';
  }
}

// `sql` with ${TABLE}, ${field} and ${view.field} replaced; `allowed` the views in scope.
function expand(viewName, sql, stack = [], allowed = null) {
  if (typeof sql !== 'string') {
    fail(`${viewName}: a field without sql`);
    return 'NULL';
  }
  return `(${sql.trim()})`.replace(/\$\{([^}]*)\}/g, (_, reference) => {
    if (reference === 'TABLE') return viewName;
    const parts = reference.split('.');
    if (parts.length === 1) return `(${fieldSql(viewName, parts[0], stack)})`;
    if (parts.length !== 2 || !views[parts[0]]) {
      fail(`\${${reference}} in ${viewName} names no view's field`);
      return 'NULL';
    }
    if (allowed && !allowed.has(parts[0])) fail(`\${${reference}}: ${parts[0]} is not joined here`);
    return `(${fieldSql(parts[0], parts[1], stack)})`;
  });
}

const fromOf = (viewName) => `${views[viewName].sql_table_name.trim()} AS ${viewName}`;

for (const viewName of Object.keys(views)) {
  const view = views[viewName];
  if (!view.sql_table_name?.trim()) {
    fail(`view ${viewName} has no sql_table_name`);
    continue;
  }
  const fields = [...fieldsByView.get(viewName)];
  const keys = fields.filter(([, f]) => f.kind === 'dimension' && f.primary_key === true);
  if (keys.length > 1) fail(`view ${viewName} has ${keys.length} primary keys`);
  const dimensions = fields.filter(([, f]) => f.kind === 'dimension');
  const measures = fields.filter(([, f]) => f.kind === 'measure');
  queries.push({
    what: `view ${viewName}: every dimension`,
    sql: `SELECT ${dimensions.map(([n]) => `${fieldSql(viewName, n)} AS "${n}"`).join(', ')} ` +
      `FROM ${fromOf(viewName)} LIMIT 20`,
  });
  if (measures.length > 0) {
    queries.push({
      what: `view ${viewName}: every measure`,
      sql: `SELECT ${measures.map(([n]) => `${fieldSql(viewName, n)} AS "${n}"`).join(', ')} ` +
        `FROM ${fromOf(viewName)}`,
    });
  }
}

for (const [name, explore] of Object.entries(explores)) {
  const base = explore.from ?? name;
  if (!views[base]) {
    fail(`explore ${name}: no view ${base}`);
    continue;
  }
  const scope = new Set([base, ...Object.keys(explore.join ?? {})]);
  const filter = explore.access_filter;
  if (!filter || typeof filter !== 'object') {
    fail(`explore ${name} has no access_filter: it would show every project to everyone`);
    continue;
  }
  if (filter.user_attribute !== 'leadline_projects') {
    fail(`explore ${name}: the access_filter reads ${filter.user_attribute}, not leadline_projects`);
  }
  const [filterView, filterField] = String(filter.field ?? '').split('.');
  if (!scope.has(filterView) || !fieldsByView.get(filterView)?.has(filterField) ||
      filterField !== 'project_key') {
    fail(`explore ${name}: the access_filter's field ${filter.field} is no project_key in it`);
    continue;
  }
  let from = fromOf(base);
  for (const [joined, join] of Object.entries(explore.join ?? {})) {
    if (!views[joined]) {
      fail(`explore ${name}: join ${joined} names no view`);
      continue;
    }
    if (!join.relationship) fail(`explore ${name}: join ${joined} has no relationship`);
    if (!join.sql_on?.trim()) {
      fail(`explore ${name}: join ${joined} has no sql_on`);
      continue;
    }
    from += ` LEFT JOIN ${fromOf(joined)} ON ${expand(base, join.sql_on, [], scope)}`;
  }
  const measures = [...scope].flatMap((v) =>
    [...fieldsByView.get(v)].filter(([, f]) => f.kind === 'measure' && f.type !== 'number' &&
      (v === base || f.type === 'median' || f.type === 'count'))
      .map(([n]) => `${fieldSql(v, n)} AS "${v}.${n}"`));
  queries.push({
    what: `explore ${name}, as a person whose ${'leadline_projects'} is ${project}`,
    sql: `SELECT COUNT(*) AS "rows", ${measures.join(', ')} FROM ${from} ` +
      `WHERE ${fieldSql(filterView, filterField)} IN ('${project.replace(/'/g, "''")}')`,
  });
}

process.stdout.write(JSON.stringify({ errors, queries }, null, 1) + '\n');
process.exit(errors.length > 0 ? 1 : 0);
