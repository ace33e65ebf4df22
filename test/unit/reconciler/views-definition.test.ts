import { describe, expect, it } from 'vitest';
import { parseViewDefinition } from '../../../src/reconciler/views/definition.js';
import { createViewSql, dropViewSql } from '../../../src/reconciler/views/ddl.js';
import { desiredView } from '../../../src/reconciler/views/desired.js';
import { feedSpec } from '../../helpers/feed-spec.js';

const version = {
  column: 'snapshot_version',
  ledger: 'feedctl_snapshots',
  feed: 'x',
  destination: 'warehouse',
  state: 'published',
};

/** What MariaDB 10.11 stores for feedctl's view (captured from the server). */
const MARIADB =
  'select `db`.`dim_x`.`id` AS `id`,`db`.`dim_x`.`a` AS `a`,`db`.`dim_x`.`snapshot_version` AS `snapshot_version` ' +
  'from `db`.`dim_x` where `db`.`dim_x`.`snapshot_version` = (select max(`db`.`feedctl_snapshots`.`version`) ' +
  "from `db`.`feedctl_snapshots` where `db`.`feedctl_snapshots`.`feed_name` = 'x' and " +
  "`db`.`feedctl_snapshots`.`destination` = 'warehouse' and `db`.`feedctl_snapshots`.`state` = 'published')";

/** MySQL 8's spelling: parentheses around every predicate, charset introducers, COLLATE. */
const MYSQL8 =
  'select `db`.`dim_x`.`id` AS `id`,`db`.`dim_x`.`a` AS `a`,`db`.`dim_x`.`snapshot_version` AS `snapshot_version` ' +
  'from `db`.`dim_x` where (`db`.`dim_x`.`snapshot_version` = (select max(`db`.`feedctl_snapshots`.`version`) ' +
  "from `db`.`feedctl_snapshots` where ((`db`.`feedctl_snapshots`.`feed_name` = _utf8mb4'x' collate utf8mb4_bin) " +
  "and (`db`.`feedctl_snapshots`.`destination` = _utf8mb4'warehouse') and " +
  "(`db`.`feedctl_snapshots`.`state` = _utf8mb4'published'))))";

const expected = { table: 'dim_x', columns: ['id', 'a', 'snapshot_version'], version };

describe('view definitions read back as facts', () => {
  it('MariaDB and MySQL 8 spellings of the same view give the same facts', () => {
    expect(parseViewDefinition(MARIADB)).toEqual(expected);
    expect(parseViewDefinition(MYSQL8)).toEqual(expected);
  });

  it('reads escaped literals and unqualified, upper-case spellings', () => {
    const sql =
      "SELECT id AS id FROM dim_x WHERE snapshot_version = (SELECT MAX(version) FROM feedctl_snapshots WHERE feed_name = 'x\\'y' AND state = 'published' AND destination = 'warehouse')";
    expect(parseViewDefinition(sql)?.version.feed).toBe("x'y");
    expect(parseViewDefinition(sql.replace("'x\\'y'", "'x''y'"))?.version.feed).toBe("x'y");
  });

  it('reads another filter as such (it then differs from the desired one)', () => {
    expect(parseViewDefinition(MARIADB.replace("'published'", "'sealed'"))?.version.state).toBe('sealed');
  });

  it.each([
    ['an extra predicate', MARIADB.replace(" = 'published')", " = 'published' and `a` = '1')")],
    ['a renamed column', MARIADB.replace('`a` AS `a`', '`a` AS `b`')],
    ['a computed column', MARIADB.replace('`db`.`dim_x`.`a` AS `a`', '`a` + 1 AS `a`')],
    ['no version filter', 'select `db`.`dim_x`.`id` AS `id` from `db`.`dim_x`'],
    ['min instead of max', MARIADB.replace('max(', 'min(')],
  ])('is not a latest view with %s', (_why, sql) => {
    expect(parseViewDefinition(sql)).toBeNull();
  });

  it('renders listed columns, the latest published version, bound literals', () => {
    const v = desiredView(feedSpec({ name: 'x', type: 'table', table: 'dim_x' }));
    const stmt = createViewSql(v.name, v.state);
    expect(stmt.sql).toMatch(/^CREATE OR REPLACE SQL SECURITY DEFINER VIEW `dim_x_latest` AS SELECT `id`, /);
    expect(stmt.sql).toContain(
      'FROM `dim_x` WHERE `snapshot_version` = (SELECT MAX(`version`) FROM `feedctl_snapshots` WHERE `feed_name` = ? AND `destination` = ? AND `state` = ?)',
    );
    expect(stmt.values).toEqual(['x', 'warehouse', 'published']);
    expect(dropViewSql('dim_x_latest').sql).toBe('DROP VIEW IF EXISTS `dim_x_latest`');
  });
});
