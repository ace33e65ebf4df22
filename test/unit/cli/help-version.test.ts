import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../../src/cli/main.js';

function capture() {
  let out = '';
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true)),
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((out += String(s)), true)),
  ];
  return { text: () => out, restore: () => spies.forEach((s) => s.mockRestore()) };
}

afterEach(() => vi.unstubAllEnvs());

describe('feedctl --help and --version', () => {
  it('prints the package version', async () => {
    const c = capture();
    const code = await run(['node', 'feedctl', '--version']);
    c.restore();
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(code).toBe(0);
    expect(c.text().trim()).toBe(pkg.version);
  });

  it('lists the commands and never shows a configured password', async () => {
    vi.stubEnv('FEEDCTL_MYSQL_URL', 'mysql://u:hunter2@h:3306');
    const c = capture();
    const code = await run(['node', 'feedctl', '--help']);
    const code2 = await run(['node', 'feedctl', 'config']);
    c.restore();
    expect(code).toBe(0);
    expect(code2).toBe(0);
    expect(c.text()).toMatch(/migrate/);
    expect(c.text()).toMatch(/stack/);
    expect(c.text()).toContain('mysql://u:***@h:3306');
    expect(c.text()).not.toContain('hunter2');
  });

  it('explains an unreachable MySQL instead of failing obscurely, without the password', async () => {
    vi.stubEnv('FEEDCTL_MYSQL_URL', 'mysql://u:hunter2@127.0.0.1:1');
    const c = capture();
    const code = await run(['node', 'feedctl', 'migrate', 'status']);
    c.restore();
    expect(code).toBe(1);
    expect(c.text()).toMatch(/^error: mysql: connect 127\.0\.0\.1:1: .*ECONNREFUSED/m);
    expect(c.text()).toMatch(/hint: start the local stack with `npm start`/);
    expect(c.text()).not.toContain('hunter2');
  });
});
