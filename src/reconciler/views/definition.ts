/**
 * Reads a view's stored definition (information_schema.VIEWS.VIEW_DEFINITION) back into facts (pure). MariaDB and
 * MySQL 8 print the same view differently — schema-qualified names, parentheses, `_utf8mb4` introducers, COLLATE
 * clauses, keyword case — so the text is never compared: it is tokenized, those differences are dropped, and the
 * result must match the one shape feedctl writes (see ddl.ts). Anything else parses to null.
 */
import type { VersionFilter } from './desired.js';

/** What a latest view's definition says. */
export interface ParsedView {
  table: string;
  /** The selected columns, each shown under its own name. */
  columns: string[];
  version: VersionFilter;
}

/** A token: `id` a (possibly quoted) name, `kw` a bare word in lower case, `str` a literal's value, `p` punctuation. */
interface Token {
  t: 'id' | 'kw' | 'str' | 'p';
  v: string;
}

const TOKEN = /`((?:[^`]|``)*)`|'((?:[^'\\]|\\.|'')*)'|([A-Za-z0-9_$]+)|(\S)/g;

function unescape(s: string): string {
  return s.replace(/''/g, "'").replace(/\\(.)/g, '$1');
}

function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  for (const m of sql.matchAll(TOKEN)) {
    if (m[1] !== undefined) out.push({ t: 'id', v: m[1].replace(/``/g, '`') });
    else if (m[2] !== undefined) out.push({ t: 'str', v: unescape(m[2]) });
    else if (m[3] !== undefined) out.push({ t: 'kw', v: m[3].toLowerCase() });
    else out.push({ t: 'p', v: m[4] ?? '' });
  }
  return out;
}

const isName = (x: Token | undefined) => x?.t === 'id' || x?.t === 'kw';

/**
 * Drops what servers add or print differently: parentheses, charset introducers (`_utf8mb4'x'`), COLLATE clauses,
 * and qualifiers (`db`.`t`.`c` → `c`).
 */
function simplify(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const x = tokens[i] as Token;
    const next = tokens[i + 1];
    if (x.t === 'p' && (x.v === '(' || x.v === ')')) continue;
    if (x.t === 'kw' && x.v.startsWith('_') && next?.t === 'str') continue;
    if (x.t === 'kw' && x.v === 'collate' && isName(next)) {
      i++;
      continue;
    }
    if (x.t === 'p' && x.v === '.' && isName(next) && isName(out.at(-1))) {
      out[out.length - 1] = { t: 'id', v: next?.v ?? '' };
      i++;
      continue;
    }
    out.push(x);
  }
  return out;
}

/** A cursor over simplified tokens; every method returns undefined on a mismatch. */
class Reader {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}
  kw(word: string): true | undefined {
    const x = this.tokens[this.i];
    if (x?.t !== 'kw' || x.v !== word) return undefined;
    this.i++;
    return true;
  }
  punct(p: string): true | undefined {
    const x = this.tokens[this.i];
    if (x?.t !== 'p' || x.v !== p) return undefined;
    this.i++;
    return true;
  }
  name(): string | undefined {
    const x = this.tokens[this.i];
    if (!isName(x)) return undefined;
    this.i++;
    return x?.v;
  }
  str(): string | undefined {
    const x = this.tokens[this.i];
    if (x?.t !== 'str') return undefined;
    this.i++;
    return x.v;
  }
  done(): boolean {
    return this.i === this.tokens.length;
  }
}

/** `a AS a, b AS b … FROM`: the columns, or undefined when one is computed or renamed. */
function selectList(r: Reader): string[] | undefined {
  const columns: string[] = [];
  do {
    const column = r.name();
    if (column === undefined || !r.kw('as') || r.name() !== column) return undefined;
    columns.push(column);
  } while (r.punct(','));
  return columns;
}

/** `c1 = 'v1' AND c2 = 'v2' …` up to the end, as a map; undefined on anything else. */
function equalities(r: Reader): Map<string, string> | undefined {
  const out = new Map<string, string>();
  do {
    const column = r.name();
    if (column === undefined || !r.punct('=')) return undefined;
    const value = r.str();
    if (value === undefined || out.has(column)) return undefined;
    out.set(column, value);
  } while (r.kw('and'));
  return r.done() ? out : undefined;
}

/**
 * `SELECT cols FROM table WHERE column = (SELECT MAX(version) FROM ledger WHERE feed_name = … AND destination = …
 * AND state = …)`, in any server's spelling; null when the definition has another shape.
 */
export function parseViewDefinition(sql: string): ParsedView | null {
  const r = new Reader(simplify(tokenize(sql)));
  if (!r.kw('select')) return null;
  const columns = selectList(r);
  if (!columns || !r.kw('from')) return null;
  const table = r.name();
  if (table === undefined || !r.kw('where')) return null;
  const column = r.name();
  if (column === undefined || !r.punct('=') || !r.kw('select') || !r.kw('max')) return null;
  if (r.name() !== 'version' || !r.kw('from')) return null;
  const ledger = r.name();
  if (ledger === undefined || !r.kw('where')) return null;
  const eq = equalities(r);
  if (!eq || eq.size !== 3) return null;
  const [feed, destination, state] = [eq.get('feed_name'), eq.get('destination'), eq.get('state')];
  if (feed === undefined || destination === undefined || state === undefined) return null;
  return { table, columns, version: { column, ledger, feed, destination, state } };
}
