/**
 * Input generation for the fuzzers: random strings from a parser's alphabet, and mutations of
 * seed inputs (insert a token, delete / duplicate / swap a span, splice two seeds, replace a
 * number with an extreme one, or plant one of the known "bomb" shapes).
 */
import type { Random } from './random';

/** Characters and tokens that mean something to at least one spk parser. */
export const TOKENS = {
  version: ['.', ',', '+', '-', '0', '1', '9', '00', 'a', 'r', 'pre', 'post', 'alpha', '.1', '4294967296', '99999999999999999999'],
  range: ['>=', '<=', '>', '<', '=', '==', '!=', '~', '^', '*', ',', '/', 'Binary:', 'API:', 'x', '|', ' ', '1.2', '0', '-', '+'],
  request: ['/', ':', '{', '}', ',', 'run', 'build', 'src', 'all', '@', 'local/', 'origin/', '.', '-', '=', 'zlib', 'python', '~1', '/src', '/abcdefgh'],
  yaml: [': ', '- ', '\n', '\n  ', '\n    ', '[', ']', '{', '}', ',', '&a ', '*a', '!!str ', '!!binary ', '|', '>', "'", '"', '#', '%', '@', '`', '? ', '---\n', '...\n', '\t', '<<: *a', '~', 'null', 'true', '1e309', '0x1F', '.inf'],
  template: ['{{', '}}', '{%', '%}', '{#', '#}', ' opt.version ', ' env.HOME ', ' | default_opts(version="1.2.3")', ' | replace_regex(from="(a)", to="$1$1")', ' | compare_version(op=">=", rhs="1.0")', ' | parse_version', ' set x = ', ' for i in range(10) ', ' endfor ', ' if ', ' endif ', ' * ', ' ~ ', '"', "'", '\\', '|', '(', ')'],
  glob: ['*', '**', '?', '[', ']', '[!', 'a-z', '/', '{', '}', ',', '.', '..', '\\', 'packages', '*.spk.yaml', '!', '(', ')'],
  any: ['\u0000', '\u00e9', '\u{1F600}', '\ufeff', '\r\n', '\u2028', ' ', '\\u0041', '%n', '$(id)', '`id`', '--help', '-o', ';', '&&'],
};

/** Shapes known to blow up naive parsers; each must end as a bounded SpkError or problem. */
export const BOMBS = {
  braces: ['{0..9}{0..9}{0..9}{0..9}{0..9}', '{1..99999999}', '{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}{s,t}{u,v}{w,x}{y,z}{1,2}', '{{{{{{{{{{1}}}}}}}}}}', '{1..10..0}', '{-99999999..99999999}', '{-99999999..9999999{1..10..0}9}', '{18446744073709551616..+99999999}', '{18446744073709551616.\ufeff.+99999999}', '{1. .99999999}', '{' + '1,'.repeat(20000) + '1}'],
  yamlAlias: [
    'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n' +
      Array.from({ length: 9 }, (_, i) => `l${i}: &l${i} [${Array(10).fill(i === 0 ? '*a' : `*l${i - 1}`).join(',')}]`).join('\n') +
      '\n',
    'a: &a [*a]\n',
  ],
  yamlDeep: ['x: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n', 'x: ' + '{a: '.repeat(300) + '1' + '}'.repeat(300) + '\n', Array.from({ length: 200 }, (_, i) => ' '.repeat(i) + 'k:').join('\n') + ' 1\n'],
  template: ['{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}', '{% for i in range(100000) %}{% for j in range(100000) | default_opts(version="1") %}{% endfor %}{% endfor %}', '{{ "x" * 2000000000 }}', '{% macro f(n) %}{{ f(n+1) }}{% endmacro %}{{ f(0) }}', '{{ range(1000000) }}', '{{ ' + '('.repeat(5000) + '1' + ')'.repeat(5000) + ' }}'],
  huge: ['9'.repeat(100000), 'a'.repeat(100000), '1.'.repeat(50000) + '1', '>=1,'.repeat(10000) + '>=1'],
};

export function randomString(rng: Random, alphabet: readonly string[], maxTokens = 12): string {
  const n = rng.int(maxTokens + 1);
  let s = '';
  for (let i = 0; i < n; i++) s += rng.chance(0.1) ? rng.pick(TOKENS.any) : rng.pick(alphabet);
  return s;
}

/** Applies 1-4 random mutations to `seed`. `others` feeds splices. */
export function mutate(rng: Random, seed: string, alphabet: readonly string[], others: readonly string[], bombs: readonly string[] = []): string {
  let s = seed;
  const rounds = 1 + rng.int(4);
  for (let r = 0; r < rounds; r++) {
    const at = rng.int(s.length + 1);
    const end = Math.min(s.length, at + 1 + rng.int(16));
    switch (rng.int(bombs.length > 0 ? 9 : 8)) {
      case 0:
      case 1:
        s = s.slice(0, at) + rng.pick(alphabet) + s.slice(at);
        break;
      case 2:
        s = s.slice(0, at) + s.slice(end);
        break;
      case 3:
        s = s.slice(0, end) + s.slice(at, end) + s.slice(end);
        break;
      case 4: {
        const b = rng.int(s.length + 1);
        const [x, y] = at < b ? [at, b] : [b, at];
        s = s.slice(y) + s.slice(x, y) + s.slice(0, x);
        break;
      }
      case 5: {
        const other = others.length > 0 ? rng.pick(others) : '';
        s = s.slice(0, at) + other.slice(rng.int(other.length + 1));
        break;
      }
      case 6:
        s = s.replace(/\d+/, () => rng.pick(['0', '-1', '4294967296', '18446744073709551616', '99999999999999999999999', '1e309', '007']));
        break;
      case 7:
        s = s.slice(0, at) + rng.pick(TOKENS.any) + s.slice(at);
        break;
      default:
        s = s.slice(0, at) + rng.pick(bombs) + s.slice(at);
    }
    if (s.length > 300_000) s = s.slice(0, 300_000);
  }
  return s;
}

/** Mutates one YAML value line of a recipe/workspace text (keeps the rest parseable more often). */
export function mutateLine(rng: Random, text: string, alphabet: readonly string[], others: readonly string[], bombs: readonly string[]): string {
  const lines = text.split('\n');
  const i = rng.int(lines.length);
  lines[i] = mutate(rng, lines[i], alphabet, others, bombs);
  return lines.join('\n');
}

/** What a template expression might output: YAML indicators, odd characters and plain values. */
export const SUBSTITUTION_TOKENS: readonly string[] = [...TOKENS.yaml, ...TOKENS.any, '1.2.3', 'a b', ' x', 'x ', ': ', '- ', ' #', '"', "'", ']', '}', '$(x)', ' > f'];

/**
 * `text` as a template could have rendered it: 1-3 non-blank lines keep their indentation, dash
 * and key, lose part of their value and get 1-3 SUBSTITUTION_TOKENS instead (for the recipe YAML
 * fast path, src/spk/recipe-yaml.ts). Undefined when the text has no non-blank line.
 */
export function substituteIntoLines(rng: Random, text: string): string | undefined {
  const lines = text.split('\n');
  const sites = lines.flatMap((l, k) => (/\S/.test(l) ? [k] : []));
  if (sites.length === 0) return undefined;
  for (let n = 1 + rng.int(3); n > 0; n--) {
    const k = rng.pick(sites);
    lines[k] = lines[k].replace(
      /^(\s*(?:- )?(?:[\w.]+: )?)(.*)$/,
      (_m, head: string, rest: string) => head + rest.slice(0, rng.int(rest.length + 1)) + Array.from({ length: 1 + rng.int(3) }, () => rng.pick(SUBSTITUTION_TOKENS)).join(''),
    );
  }
  return lines.join('\n');
}
