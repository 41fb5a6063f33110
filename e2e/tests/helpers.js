const { expect } = require('@playwright/test');
const { AxeBuilder } = require('@axe-core/playwright');
const { execFileSync } = require('child_process');
const path = require('path');

const PASSWORD = 'a quiet walk by the river';
const EXIT_URL = 'https://www.bbc.com/weather';

/** Run axe on the page (zero violations allowed) and save a screenshot. */
async function expectAccessible(page, testInfo, name) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  await page.screenshot({
    path: path.join(__dirname, '..', 'artifacts', 'screenshots', testInfo.project.name, `${name}.png`),
    fullPage: true,
  });
  expect(summary, `axe violations on ${name}`).toEqual([]);
}

/** The quick-exit target is outside this machine: answer it with a neutral page. */
async function fakeExitSite(context) {
  await context.route('https://www.bbc.com/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Weather</title><h1>Weather</h1>' }),
  );
}

async function signIn(page, email, password = PASSWORD) {
  await page.goto('/signin');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * The newest link in mail to `email` whose path starts with `prefix`, as a
 * path. Mail is read from the outbox (no mail server is set for the tests)
 * with `securebase mail outbox`, as an operator on one machine would.
 */
async function linkInMail(email, prefix) {
  const env = { ...process.env };
  if (process.env.E2E_DATABASE_URL) env.DATABASE_URL = process.env.E2E_DATABASE_URL;
  const pattern = new RegExp(`https?://\\S+?(${prefix}[0-9a-f]{64})`, 'g');
  for (let i = 0; i < 50; i += 1) {
    const out = execFileSync(process.env.SECUREBASE_BIN,
      ['--data-dir', process.env.E2E_DATA_DIR, 'mail', 'outbox', '--to', email], { env, encoding: 'utf8' });
    const links = [...out.matchAll(pattern)];
    if (links.length > 0) return links[links.length - 1][1];
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no ${prefix} link in mail to ${email}`);
}

let visitors = 0;

/** This page's person comes from an address of their own (see playwright.config.js). */
async function comeFromOwnAddress(page) {
  visitors += 1;
  const n = process.pid * 64 + visitors;
  await page.setExtraHTTPHeaders({ 'X-Forwarded-For': `198.18.${(n >> 8) & 255}.${n & 255}` });
}

/** Sign up and open the mailed link in the same browser: a new member, signed in, at home. */
async function signUp(page, email, name) {
  await comeFromOwnAddress(page);
  await page.goto('/signup');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel(/Your name/).fill(name);
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your inbox to finish');
  await page.goto(await linkInMail(email, '/verify/'));
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await expect(page.getByRole('status')).toContainText('Your address is confirmed and you are signed in.');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${name}.`);
}

function uniqueEmail(testInfo, label) {
  return `${label}-${testInfo.project.name}-${Date.now()}@example.org`;
}

/**
 * The main navigation as it shows at this width: on a phone it is folded into
 * the header's menu, which this opens first.
 */
async function mainNav(page) {
  const menu = page.locator('.phone-menu');
  if (await menu.locator('summary').isVisible()) {
    if (!(await menu.evaluate((d) => d.open))) await menu.locator('summary').click();
    return menu.getByRole('navigation', { name: 'Main' });
  }
  return page.locator('.site-nav-wrap').getByRole('navigation', { name: 'Main' });
}

module.exports = {
  PASSWORD, EXIT_URL, comeFromOwnAddress, expectAccessible, fakeExitSite, linkInMail, mainNav, signIn, signUp, uniqueEmail,
};
