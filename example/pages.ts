/**
 * The demo site's one page (`GET /`): a login form posting to `/login`, who is signed in (from `GET /me`), a
 * logout button, a change of password (`POST /password`) and, for a browser whose session was ended, why. Plain HTML and a few lines of script; the
 * form works without the script (the server answers a form post with 303 → `/`).
 */
import express from 'express';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { DEMO_LOGINS } from './config.js';
import { END_MESSAGES, SITE_MESSAGES } from './site.js';

/** Where the site mounts the live sign-out's stream, and serves the package's browser module. */
export const LIVE_PATH = '/session/live';
const BROWSER_MODULE_PATH = '/assets/adminjs-single-session-browser.js';

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The reasons' texts the page shows (every reason of END_MESSAGES, and the text for one without its own). */
const reasonTexts = { ...END_MESSAGES, signedOut: SITE_MESSAGES.signedOut };

const page = (live: boolean) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>adminjs-single-session demo</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 34rem; margin: 3rem auto; padding: 0 1rem; color: #1c1c38; }
  h1 { font-size: 1.4rem; }
  .card { border: 1px solid #dcdcea; border-radius: 8px; padding: 1.25rem; margin: 1rem 0; }
  label { display: block; margin: .5rem 0 .2rem; }
  input { width: 100%; box-sizing: border-box; padding: .5rem; font: inherit; }
  button { margin-top: 1rem; padding: .5rem 1.2rem; font: inherit; background: #3040d6; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  .notice { background: #fff4e5; border-left: 4px solid #e08a00; padding: .75rem 1rem; }
  .error { background: #fdecec; border-left: 4px solid #c20012; padding: .75rem 1rem; }
  [hidden] { display: none !important; }
  small, td { color: #555; }
  code { font-size: .95em; }
</style>
</head>
<body>
<h1>adminjs-single-session demo</h1>
<p id="ended" class="notice" role="status" hidden></p>
<div id="signed-in" class="card" hidden>
  <p>Signed in as <strong id="who"></strong>.</p>
  <form method="post" action="/logout"><button type="submit" id="logout">Sign out</button></form>
</div>
<form id="password-form" class="card" method="post" action="/password" hidden>
  <p>Change your password (your other devices are signed out).</p>
  <p id="password-error" class="error" role="alert" hidden></p>
  <p id="password-done" class="notice" role="status" hidden></p>
  <label for="current-password">Current password</label>
  <input id="current-password" name="currentPassword" type="password" autocomplete="current-password" required>
  <label for="new-password">New password</label>
  <input id="new-password" name="newPassword" type="password" autocomplete="new-password" minlength="8" required>
  <button type="submit">Change password</button>
</form>
<form id="login" class="card" method="post" action="/login" hidden>
  <p id="login-error" class="error" role="alert" hidden></p>
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Sign in</button>
</form>
<p>Demo logins (password <code>password</code>):</p>
<table>${DEMO_LOGINS.map(([email, role]) => `<tr><td><code>${escapeHtml(email)}</code></td><td>${escapeHtml(role)}</td></tr>`).join('')}</table>
<p>Sign in with one account in two browsers: the first one is signed out. The <a href="/admin">admin panel</a>
logs users out everywhere (User list → select → bulk action).</p>
<script type="module">
${live ? `import { watchSession } from '${BROWSER_MODULE_PATH}';` : ''}
const $ = (id) => document.getElementById(id);
const messages = ${JSON.stringify(reasonTexts)};
let watch = null;
// Live sign-out: the moment the server ends this session, the private data goes and the reason shows.
function showEnded(reason) {
  watch = null;
  $('who').textContent = '';
  $('signed-in').hidden = true;
  $('login').hidden = false;
  $('ended').textContent = messages[reason] || messages.signedOut;
  $('ended').hidden = false;
}
function watchThisSession() {
  ${live ? `if (!watch) watch = watchSession({ url: '${LIVE_PATH}', onEnded: ({ reason }) => showEnded(reason), onRefused: () => { watch = null; } });` : ''}
}
async function refresh() {
  const res = await fetch('/me', { headers: { accept: 'application/json' }, cache: 'no-store' });
  const body = await res.json().catch(() => ({}));
  const signedIn = res.ok;
  $('signed-in').hidden = !signedIn;
  $('password-form').hidden = !signedIn;
  $('login').hidden = signedIn;
  $('who').textContent = signedIn ? body.email : '';
  const reason = !signedIn && messages[body.reason];
  $('ended').hidden = !reason;
  $('ended').textContent = reason || '';
  if (signedIn) watchThisSession();
}
// Submit as the form would (urlencoded), but show a refused login here instead of the raw JSON answer.
$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const res = await fetch('/login', { method: 'POST', body: new URLSearchParams(new FormData(event.target)) });
  const body = res.ok ? {} : await res.json().catch(() => ({ error: 'Sign-in failed; please retry.' }));
  $('login-error').hidden = res.ok;
  $('login-error').textContent = body.error || '';
  if (res.ok) { event.target.reset(); await refresh(); }
});
$('password-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  // The change keeps this sign-in under a new cookie and ends the old one as \`credentials\`: this tab's stream (on the
  // old cookie) would be told so. It stops first and watches again on the new cookie.
  watch?.close();
  watch = null;
  const res = await fetch('/password', { method: 'POST', headers: { accept: 'application/json' }, body: new URLSearchParams(new FormData(event.target)) });
  const body = res.ok ? {} : await res.json().catch(() => ({ error: 'The password was not changed; please retry.' }));
  $('password-error').hidden = res.ok;
  $('password-error').textContent = body.error || '';
  $('password-done').hidden = !res.ok;
  $('password-done').textContent = res.ok ? 'Password changed. Your other devices were signed out.' : '';
  if (res.ok) event.target.reset();
  await refresh();
});
refresh().catch(() => { $('login').hidden = false; });
</script>
</body>
</html>
`;

/**
 * The package's browser module (src/browser.ts), as the browser gets it: a published package serves
 * `dist/src/browser.js`; the demo runs from source, so it strips the types once at start-up.
 */
function browserModule(): string {
  const source = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'browser.ts');
  return ts.transpileModule(readFileSync(source, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2020 } }).outputText;
}

export function sitePages({ live = false }: { live?: boolean } = {}): express.Router {
  const router = express.Router();
  const html = page(live);
  router.get('/', (_req, res) => {
    res.set('cache-control', 'no-store').type('html').send(html);
  });
  if (live) {
    const script = browserModule();
    router.get(BROWSER_MODULE_PATH, (_req, res) => {
      res.set('cache-control', 'no-cache').type('text/javascript').send(script);
    });
  }
  return router;
}
