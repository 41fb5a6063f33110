// The foundation's journeys: sign up, settings, sessions, export, delete,
// sign in and out, quick exit. axe runs on every page visited.
const { test, expect } = require('@playwright/test');
const fs = require('fs');
const { EXIT_URL, PASSWORD, comeFromOwnAddress, expectAccessible, fakeExitSite, linkInMail, mainNav, signIn, uniqueEmail } = require('./helpers');

test('a visitor signs up, looks after their account, exports it and deletes it', async ({ page, browser }, testInfo) => {
  const email = uniqueEmail(testInfo, 'robin');
  await comeFromOwnAddress(page);

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('closeness');
  await expectAccessible(page, testInfo, '01-home-visitor');

  await page.getByRole('link', { name: 'Create a free account' }).click();
  await expectAccessible(page, testInfo, '02-signup');

  // A password that is too short: the form comes back with the email kept.
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel(/Your name/).fill('Robin');
  await page.getByLabel(/^Password/).fill('too short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#password-error')).toContainText('12 characters');
  await expect(page.getByLabel('Email address')).toHaveValue(email);
  await expect(page.getByLabel(/Your name/)).toHaveValue('Robin');
  await expectAccessible(page, testInfo, '03-signup-errors');

  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your inbox to finish');
  await expect(page.getByText(email)).toBeVisible();
  await expectAccessible(page, testInfo, '04-check-inbox');

  // Until the address is confirmed, the password alone does not sign in.
  await signIn(page, email);
  await expect(page.locator('#password-error')).toContainText('once the link we mailed');

  // The link in the mail: opening it changes nothing; the button confirms, and
  // in the browser that signed up, signs in.
  await page.goto(await linkInMail(email, '/verify/'));
  await expectAccessible(page, testInfo, '04-confirm-address');
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await expect(page.getByRole('status')).toContainText('Your address is confirmed and you are signed in.');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Robin.');
  await expectAccessible(page, testInfo, '04-home-member');

  // Settings: name and time zone.
  await (await mainNav(page)).getByRole('link', { name: 'Settings' }).click();
  await expectAccessible(page, testInfo, '05-settings');
  await page.getByLabel('Your name').fill('Robin Ash');
  await page.getByLabel('Time zone').selectOption('Europe/Berlin');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('status')).toContainText('Your settings are saved.');
  await expect(page.getByLabel('Your name')).toHaveValue('Robin Ash');
  await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Berlin');

  // A second device signs in; the first ends that session.
  const otherDevice = await browser.newContext();
  const other = await otherDevice.newPage();
  await signIn(other, email);
  await expect(other.getByRole('heading', { level: 1 })).toHaveText('Welcome, Robin.');

  await page.goto('/settings/sessions');
  await expect(page.locator('li.session')).toHaveCount(2);
  await expect(page.getByText('This device')).toBeVisible();
  await expectAccessible(page, testInfo, '06-sessions');
  await page.getByRole('button', { name: 'End session' }).click();
  await expect(page.getByRole('status')).toContainText('That session has ended.');
  await expect(page.locator('li.session')).toHaveCount(1);
  await other.goto('/settings');
  await expect(other).toHaveURL(/\/signin\?next=/);
  await otherDevice.close();

  // Export: asks for the password first, then a JSON file with the account in it.
  await page.getByRole('link', { name: 'Export or delete' }).click();
  await expectAccessible(page, testInfo, '07-export-delete');
  await page.getByLabel(/so we ask first/).fill('not my password');
  await page.getByRole('button', { name: 'Download as JSON' }).click();
  await expect(page.locator('#export_password-error')).toHaveText('That is not your current password.');
  await page.getByLabel(/so we ask first/).fill(PASSWORD);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download as JSON' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^securebase-export-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  expect(exported.account.email).toBe(email);
  expect(exported.account.display_name).toBe('Robin Ash');
  // The same as a document to read.
  await page.getByLabel(/so we ask first/).fill(PASSWORD);
  const [readable] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download a readable copy' }).click(),
  ]);
  expect(readable.suggestedFilename()).toMatch(/^securebase-export-\d{4}-\d{2}-\d{2}\.md$/);
  const text = fs.readFileSync(await readable.path(), 'utf8');
  expect(text).toMatch(/^# Robin Ash's writing and results from Securebase\n/);
  expect(text).toContain(`- **Email:** ${email}`);

  // Delete: the wrong password is refused, the right one removes everything.
  await page.getByLabel(/to confirm it is you/).fill('not my password');
  await page.getByRole('button', { name: /Delete my account/ }).click();
  await expect(page.locator('#password-error')).toHaveText('That is not your current password.');
  await expectAccessible(page, testInfo, '08-delete-error');
  await page.getByLabel(/to confirm it is you/).fill(PASSWORD);
  await page.getByRole('button', { name: /Delete my account/ }).click();
  await expect(page.getByRole('status')).toContainText('deleted');

  await signIn(page, email);
  await expect(page.locator('#password-error')).toContainText('do not match');
  await expectAccessible(page, testInfo, '09-signin-error');
});

test('a demo member signs in and out, and quick exit leaves no way back', async ({ page, context }, testInfo) => {
  await fakeExitSite(context);
  await signIn(page, 'alex@demo.securebase', 'securebase-demo');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome back, Alex.');

  await (await mainNav(page)).getByRole('link', { name: 'Safety' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Safety');
  await expectAccessible(page, testInfo, '10-safety');

  // The button: the safety page is replaced, so Back goes to the page before it.
  await page.getByRole('link', { name: /Quick exit/ }).click();
  await expect(page).toHaveURL(EXIT_URL);
  await page.goBack();
  await expect(page).not.toHaveURL(/\/safety/);

  // The keyboard: Escape twice.
  await page.goto('/settings');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(EXIT_URL);

  await page.goto('/');
  await (await mainNav(page)).getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('status')).toContainText('You have signed out.');
  await expect((await mainNav(page)).getByRole('link', { name: 'Sign in' })).toBeVisible();
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/signin\?next=%2Fsettings|\/signin\?next=\/settings/);
  await expectAccessible(page, testInfo, '11-signin-after-signout');
});

test('the admin changes a role on the people page', async ({ page }, testInfo) => {
  await signIn(page, 'admin@demo.securebase', 'securebase-demo');
  await (await mainNav(page)).getByRole('link', { name: 'People' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('People on this instance');
  await expectAccessible(page, testInfo, '12-admin-people');
  const select = page.getByLabel('Role for Sam Okafor');
  const next = (await select.inputValue()) === 'coach' ? 'member' : 'coach';
  await select.selectOption(next);
  await page.getByRole('row', { name: /Sam Okafor/ }).getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toContainText('The role is changed.');
  await expect(page.getByLabel('Role for Sam Okafor')).toHaveValue(next);
});
