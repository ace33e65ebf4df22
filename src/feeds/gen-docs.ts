/**
 * `npm run docs`: writes the files generated from the manifest schema — schemas/feed.schema.json (for editors)
 * and docs/manifest.md (the reference) — from the repository root. Development tool: it formats with prettier, a
 * dev dependency, loaded only here.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderManifestDocs } from './docs.js';
import { feedSchema } from './schema.js';

/** A generated file: its path from the repository root and its content. */
export interface GeneratedFile {
  path: string;
  text: string;
}

const EXAMPLES_DIR = 'feeds';

/** The generated files, as they should be committed (run from the repository root). */
export async function generatedFiles(): Promise<GeneratedFile[]> {
  const prettier = await import('prettier');
  const schemaPath = 'schemas/feed.schema.json';
  const options = (await prettier.resolveConfig(schemaPath)) ?? {};
  const json = await prettier.format(JSON.stringify(feedSchema()), { ...options, parser: 'json' });
  const examples = readdirSync(EXAMPLES_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ path: `${EXAMPLES_DIR}/${f}`, text: readFileSync(path.join(EXAMPLES_DIR, f), 'utf8') }));
  return [
    { path: schemaPath, text: json },
    { path: 'docs/manifest.md', text: renderManifestDocs(feedSchema(), examples) },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const f of await generatedFiles()) {
    mkdirSync(path.dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.text);
    process.stdout.write(`wrote ${f.path}\n`);
  }
}
