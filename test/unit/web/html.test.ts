/** The html tag escapes every interpolated value unless it is markup made by html or join. */
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, join } from '../../../src/web/html.js';

describe('html', () => {
  it('escapes text in content and attributes', () => {
    const name = `"><script>x</script>&'`;
    expect(html`<a title="${name}">${name}</a>`.text).toBe(
      '<a title="&quot;&gt;&lt;script&gt;x&lt;/script&gt;&amp;&#39;">&quot;&gt;&lt;script&gt;x&lt;/script&gt;&amp;&#39;</a>',
    );
  });

  it('keeps markup made by html and join, and renders nothing for null, undefined and false', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}${null}${undefined}${false}${0}</p>`.text).toBe('<p><b>&lt;i&gt;</b>0</p>');
    expect(join(['<a>', html`<br />`], ', ').text).toBe('&lt;a&gt;, <br />');
    const list = ['<x>', html`<li>y</li>`];
    // prettier-ignore
    expect(html`<ul>${list}</ul>`.text).toBe('<ul>&lt;x&gt;<li>y</li></ul>');
  });

  it('escapes the five characters that matter', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});
