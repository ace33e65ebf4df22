/**
 * DuckDB as the independent reader of the Parquet lake in tests (never our own reader).
 */
import { DuckDBInstance } from '@duckdb/node-api';

/** Rows of one DuckDB query, JSON-typed (BIGINT and DECIMAL as strings). */
export async function duck(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A SQL string literal. */
export const lit = (s: string): string => `'${s.replaceAll("'", "''")}'`;
