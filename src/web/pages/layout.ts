/**
 * The page shell: head, the stylesheet and script the process serves itself (no CDN), a skip link, the header
 * with the live-update indicator and the <main> the script swaps when the status changes.
 */
import { html, type Html } from '../html.js';

/** A whole page around a rendered <main>. */
export function layout(title: string, main: Html): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · feedctl</title>
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/app.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header>
          <a class="brand" href="/">feedctl</a> <span class="muted">status · read-only</span>
          <span id="live" class="live" role="status" aria-live="polite">live</span>
        </header>
        <main id="main" tabindex="-1">${main}</main>
      </body>
    </html> `;
}
