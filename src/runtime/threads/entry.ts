/**
 * The URL of a module to start in a worker thread, next to the calling module. A worker thread runs plain
 * JavaScript: when the caller itself runs from the TypeScript sources (tests), the build's module is used instead
 * (`npm test` builds first).
 */
export function threadModule(callerUrl: string, relative: string): URL {
  if (!callerUrl.endsWith('.ts')) return new URL(relative, callerUrl);
  const at = callerUrl.lastIndexOf('/src/');
  return new URL(relative, `${callerUrl.slice(0, at)}/dist/${callerUrl.slice(at + 5)}`);
}
