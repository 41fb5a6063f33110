const { expect } = require('@playwright/test');
const { AxeBuilder } = require('@axe-core/playwright');
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

async function signUp(page, email, name) {
  await page.goto('/signup');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel(/Your name/).fill(name);
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
}

function uniqueEmail(testInfo, label) {
  return `${label}-${testInfo.project.name}-${Date.now()}@example.org`;
}

module.exports = { PASSWORD, EXIT_URL, expectAccessible, fakeExitSite, signIn, signUp, uniqueEmail };
