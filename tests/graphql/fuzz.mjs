// Random documents through the oracle, to find where the engine and graphql-js disagree beyond
// the stored corpus: mutations of the corpus's documents (tokens dropped, added, replaced: mostly
// syntax and validation errors) and documents generated from the schema (fields, aliases,
// fragments, arguments of the right and the wrong types). Deterministic for a seed. Not run by
// ctest; add what it finds to the corpus.
//   node tests/graphql/fuzz.mjs BUILD/tests/leadline_graphql_oracle [--seed N] [--count N]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const g = await import('graphql');
const [engine, ...flags] = process.argv.slice(2);
const flag = (name, fallback) => (flags.includes(name) ? Number(flags[flags.indexOf(name) + 1]) : fallback);
let seed = flag('--seed', 1);
const count = flag('--count', 400);
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = (items) => items[Math.floor(random() * items.length)];
const schema = g.buildSchema(readFileSync(join(here, 'schema.graphql'), 'utf8'));

const corpus = readdirSync(join(here, 'corpus')).filter((f) => f.endsWith('.json'))
  .flatMap((f) => JSON.parse(readFileSync(join(here, 'corpus', f), 'utf8')));
const tokenPattern = /\.\.\.|"""[\s\S]*?"""|"(?:[^"\\]|\\.)*"|[A-Za-z_]\w*|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[!$&():=@[\]{|}]|\s+|./g;
const words = ['name', 'id', 'dog', 'pets', 'title', 'author', 'first', 'Dog', 'Pet', 'Book', 'Int',
  '$a', 'on', '...', '@skip', 'null', 'true', 'SIT', '{', '}', '(', ')', '[', ']', ':', '!', '$'];

function mutate(testCase, name) {
  const tokens = testCase.query.match(tokenPattern) ?? [];
  for (let edits = 1 + Math.floor(random() * 3); edits > 0 && tokens.length; edits--) {
    const at = Math.floor(random() * tokens.length);
    const r = random();
    if (r < 0.35) tokens.splice(at, 1);
    else if (r < 0.7) tokens.splice(at, 0, ` ${pick(words)} `);
    else tokens[at] = pick(words);
  }
  return { ...testCase, name, query: tokens.join('') };
}

function literal(type, depth) {
  if (random() < 0.05) return pick(['null', '1', '"x"', 'true', 'SIT', '[1]', '{a: 1}', '2.5']);
  if (g.isNonNullType(type)) return literal(type.ofType, depth);
  if (g.isListType(type)) {
    if (random() < 0.3) return literal(type.ofType, depth);
    return `[${Array.from({ length: Math.floor(random() * 3) }, () => literal(type.ofType, depth)).join(', ')}]`;
  }
  if (g.isEnumType(type)) return pick(type.getValues()).name;
  if (g.isInputObjectType(type)) {
    if (depth > 2) return 'null';
    const fields = Object.values(type.getFields()).filter((f) => g.isNonNullType(f.type) || random() < 0.4);
    return `{${fields.map((f) => `${f.name}: ${literal(f.type, depth + 1)}`).join(', ')}}`;
  }
  const samples = { Int: ['0', '3', '-7'], Float: ['1.5', '2', '1e3'], String: ['"a"', '"""b"""', '"\\u00e9"'],
    Boolean: ['true', 'false'], ID: ['"b1"', '7'] };
  return pick(samples[type.name] ?? ['"2020-01-01"', '{y: 1}', '[1, 2]', 'X']);
}

function generate(name) {
  const fragments = [];
  const selection = (type, depth) => {
    const named = g.getNamedType(type);
    const parts = [];
    for (let n = 1 + Math.floor(random() * 4); n > 0; n--) {
      if ((g.isAbstractType(named) && random() < 0.4) || random() < 0.1) {
        const target = pick(g.isAbstractType(named) ? schema.getPossibleTypes(named) : [named]);
        if (random() < 0.5) {
          parts.push(`... on ${target.name} { ${selection(target, depth + 1)} }`);
        } else {
          const fragment = `F${fragments.length}`;
          fragments.push('');
          fragments[fragments.length - 1] = `fragment ${fragment} on ${target.name} { ${selection(target, depth + 1)} }`;
          parts.push(`...${fragment}`);
        }
        continue;
      }
      if (g.isUnionType(named)) {
        parts.push('__typename');
        continue;
      }
      const field = pick(Object.values(named.getFields()));
      let text = random() < 0.3 ? `${pick(['a', 'b', 'x'])}${Math.floor(random() * 3)}: ${field.name}` : field.name;
      const args = field.args.filter((a) => (g.isNonNullType(a.type) && a.defaultValue === undefined) || random() < 0.3);
      if (args.length) text += `(${args.map((a) => `${a.name}: ${literal(a.type, 0)}`).join(', ')})`;
      if (random() < 0.1) text += pick([' @skip(if: false)', ' @include(if: false)', ' @skip(if: true)']);
      if (g.isCompositeType(g.getNamedType(field.type))) {
        text += depth > 4 ? ' { __typename }' : ` { ${selection(field.type, depth + 1)} }`;
      }
      parts.push(text);
    }
    return parts.join(' ');
  };
  const root = random() < 0.1 ? schema.getMutationType() : schema.getQueryType();
  const body = selection(root, 0);
  return { name, query: `${root === schema.getQueryType() ? 'query' : 'mutation'} { ${body} } ${fragments.join(' ')}` };
}

const cases = Array.from({ length: count }, (_, i) =>
  (i % 2 ? generate(`generated-${i}`) : mutate(pick(corpus), `mutated-${i}`)));
const dir = mkdtempSync(join(tmpdir(), 'leadline-graphql-fuzz-'));
writeFileSync(join(dir, 'fuzz.json'), JSON.stringify(cases, null, 1));
try {
  execFileSync(process.execPath, [join(here, 'oracle.mjs'), engine, '--corpus', dir], { stdio: 'inherit' });
} catch {
  console.log(`disagreements above; the documents are in ${join(dir, 'fuzz.json')}`);
  process.exit(1);
}
rmSync(dir, { recursive: true });
