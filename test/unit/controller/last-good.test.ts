import { describe, expect, it } from 'vitest';
import { LastGood } from '../../../src/controller/last-good.js';
import type { Diagnostic } from '../../../src/errors.js';
import type { LoadResult } from '../../../src/feeds/load.js';
import type { FeedSpec } from '../../../src/feeds/types.js';
import { feedSpec } from '../../helpers/feed-spec.js';

const spec = (name: string, file = `feeds/${name}.yaml`, topic = `t.${name}`): FeedSpec => ({
  ...feedSpec({ name, topic }),
  manifestPath: file,
});
const error = (file: string, message = 'bad'): Diagnostic => ({
  file,
  line: 3,
  col: 5,
  severity: 'error',
  message,
});

/** What the loader returns for valid `feeds` and broken `errors` (the files are both). */
function loaded(feeds: FeedSpec[], errors: Diagnostic[] = []): LoadResult {
  const files = [...feeds.map((f) => f.manifestPath), ...errors.map((e) => e.file)].sort();
  return { feeds, diagnostics: errors, files };
}
const registry = (...names: string[]) => names.map((n) => ({ name: n, manifestPath: `feeds/${n}.yaml` }));

describe('last good state', () => {
  it('plans valid files as they are', () => {
    const r = new LastGood().resolve(loaded([spec('a'), spec('b')]), registry('a', 'b'));
    expect(r.set.feeds.map((f) => f.name)).toEqual(['a', 'b']);
    expect(r.set.held).toEqual([]);
    expect(r.invalid).toEqual([]);
  });

  it("keeps a broken file's last valid spec, and plans the other files' changes", () => {
    const lg = new LastGood();
    lg.resolve(loaded([spec('a'), spec('b')]), registry('a', 'b'));
    const b2 = spec('b', 'feeds/b.yaml', 't.b.renamed');
    const r = lg.resolve(loaded([b2], [error('feeds/a.yaml', 'unexpected end')]), registry('a', 'b'));
    expect(r.set.feeds).toEqual([b2, spec('a')]);
    expect(r.set.held).toEqual([]);
    expect(r.invalid).toEqual([
      { file: 'feeds/a.yaml', error: '3:5 unexpected end', keeps: ['a'], how: 'last valid spec' },
    ]);
  });

  it('uses the newest valid version of a file, and forgets a file that is gone', () => {
    const lg = new LastGood();
    lg.resolve(loaded([spec('a')]), registry('a'));
    const a2 = spec('a', 'feeds/a.yaml', 't.a2');
    lg.resolve(loaded([a2]), registry('a'));
    expect(lg.resolve(loaded([], [error('feeds/a.yaml')]), registry('a')).set.feeds).toEqual([a2]);
    lg.resolve(loaded([]), registry('a'));
    const after = lg.resolve(loaded([], [error('feeds/a.yaml')]), []);
    expect(after.set.feeds).toEqual([]);
    expect(after.invalid[0]?.how).toBe('unknown');
  });

  it('holds the feeds the registry says a broken file declared when its last spec is unknown', () => {
    const r = new LastGood().resolve(loaded([spec('b')], [error('feeds/a.yaml')]), registry('a', 'b', 'c'));
    expect(r.set.feeds.map((f) => f.name)).toEqual(['b']);
    expect(r.set.held).toEqual(['a']);
    expect(r.invalid[0]).toMatchObject({ keeps: ['a'], how: 'held' });
  });

  it('holds every enabled feed without a valid manifest when a broken file cannot be attributed', () => {
    const r = new LastGood().resolve(loaded([spec('b')], [error('feeds/new.yaml')]), registry('a', 'b', 'c'));
    expect(r.set.held).toEqual(['a', 'c']);
    expect(r.invalid[0]).toMatchObject({ file: 'feeds/new.yaml', keeps: [], how: 'unknown' });
  });

  it('lets a valid file win over a broken one that last declared the same feed', () => {
    const lg = new LastGood();
    lg.resolve(loaded([spec('a')]), registry('a'));
    const moved = spec('a', 'feeds/other.yaml');
    const r = lg.resolve(loaded([moved], [error('feeds/a.yaml')]), registry('a'));
    expect(r.set.feeds).toEqual([moved]);
    expect(r.set.held).toEqual([]);
  });

  it('reports one entry per broken file, with its first error', () => {
    const r = new LastGood().resolve(
      loaded([], [error('feeds/x.yaml', 'first'), error('feeds/x.yaml', 'second')]),
      [],
    );
    expect(r.invalid).toHaveLength(1);
    expect(r.invalid[0]?.error).toBe('3:5 first');
  });
});
