// Lighthouse 12.8.2 on the pages a visitor and a member see most: the home, a
// guide chapter, the member home, the dashboard and the journal. Fails unless
// accessibility and best practices score 100 and performance at least 95.
// Usage: node lighthouse.mjs http://127.0.0.1:PORT (a server started with --demo).
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = process.argv[2];
if (!base) throw new Error('usage: node lighthouse.mjs BASE_URL');
const bin = join(import.meta.dirname, 'node_modules', '.bin', 'lighthouse');
const out = mkdtempSync(join(tmpdir(), 'securebase-lighthouse-'));

// A demo member's session, as a cookie Lighthouse sends with every request.
async function signIn(email) {
  const response = await fetch(`${base}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ email, password: 'securebase-demo' }),
  });
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('securebase_session='));
  if (!cookie) throw new Error(`could not sign in as ${email}: ${response.status}`);
  return cookie;
}

const member = await signIn('sam@demo.securebase');
// The cookie really is a signed-in member's (the member home offers to sign out).
const home = await (await fetch(`${base}/`, { headers: { cookie: member } })).text();
if (!home.includes('Sign out')) throw new Error('the demo member is not signed in');
const pages = [
  { name: 'home', path: '/' },
  { name: 'guide chapter', path: '/guide/conflict' },
  { name: 'member home', path: '/', cookie: member },
  { name: 'dashboard', path: '/dashboard', cookie: member },
  { name: 'journal', path: '/practice/journal', cookie: member },
];

const failures = [];
console.log('| page | performance | accessibility | best practices |');
console.log('|---|---|---|---|');
for (const [i, page] of pages.entries()) {
  const report = join(out, `${i}.json`);
  const args = [
    `${base}${page.path}`,
    '--chrome-path=/usr/bin/chromium',
    '--chrome-flags=--headless=new --no-sandbox',
    '--only-categories=performance,accessibility,best-practices',
    '--output=json',
    `--output-path=${report}`,
    '--quiet',
  ];
  if (page.cookie) args.push(`--extra-headers=${JSON.stringify({ Cookie: page.cookie })}`);
  // Lighthouse now and then fails to record a page load's trace (NO_NAVSTART);
  // that is its own hiccup, not a score, so the page is measured again.
  for (let attempt = 1; ; attempt += 1) {
    try {
      execFileSync(bin, args, { stdio: 'inherit' });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      console.error(`Lighthouse could not measure ${page.path} (attempt ${attempt}); trying again.`);
    }
  }
  const result = JSON.parse(readFileSync(report, 'utf8'));
  if (result.finalDisplayedUrl !== `${base}${page.path}`) {
    throw new Error(`${page.path} ended at ${result.finalDisplayedUrl}, not the page itself`);
  }
  const score = (id) => Math.round(result.categories[id].score * 100);
  const [perf, a11y, practices] = [score('performance'), score('accessibility'), score('best-practices')];
  console.log(`| ${page.name} (${page.path}) | ${perf} | ${a11y} | ${practices} |`);
  if (perf < 95 || a11y < 100 || practices < 100) {
    const low = Object.values(result.audits)
      .filter((a) => a.score !== null && a.score < 1 && ['binary', 'numeric', 'metricSavings'].includes(a.scoreDisplayMode))
      .map((a) => `${a.id} (${a.score})`);
    failures.push(`${page.name}: ${low.join(', ')}`);
  }
}
if (failures.length) {
  console.error(`Below the bar:\n${failures.join('\n')}`);
  process.exit(1);
}
