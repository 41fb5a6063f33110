// Mail-driven journeys: a forgotten password, read from the outbox as an
// operator without a mail server would; notices and the settings they live by.
const { test, expect } = require('@playwright/test');
const { PASSWORD, expectAccessible, linkInMail, mainNav, signIn, signUp, uniqueEmail } = require('./helpers');

const NEW_PASSWORD = 'a kettle singing in the dark';

test('a member who forgot their password chooses a new one from the mail and lands signed in', async ({ page }, testInfo) => {
  const email = uniqueEmail(testInfo, 'ria');
  await signUp(page, email, 'Ria');
  await (await mainNav(page)).getByRole('button', { name: 'Sign out' }).click();

  await page.goto('/signin');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Forgot your password?');
  await expectAccessible(page, testInfo, '30-forgot');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByRole('status')).toContainText('If an account uses');
  await expectAccessible(page, testInfo, '31-forgot-sent');

  await page.goto(await linkInMail(email, '/reset/'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose a new password');
  await expectAccessible(page, testInfo, '32-reset');
  // Two that differ: the form says so next to the field.
  await page.getByLabel(/^New password at least/).fill(NEW_PASSWORD);
  await page.getByLabel('New password again').fill('not the same at all');
  await page.getByRole('button', { name: 'Set my new password' }).click();
  await expect(page.locator('#confirm_password-error')).toContainText('not the same');
  await page.getByLabel(/^New password at least/).fill(NEW_PASSWORD);
  await page.getByLabel('New password again').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Set my new password' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Ria.');
  await expect(page.getByRole('status')).toContainText('Your new password is set');

  // The settings page tells of it; the new password works, the old does not.
  await (await mainNav(page)).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByText('A new password was chosen with a reset link')).toBeVisible();
  await expectAccessible(page, testInfo, '33-settings-security');
  await (await mainNav(page)).getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, email, PASSWORD);
  await expect(page.locator('#password-error')).toContainText('do not match');
  await signIn(page, email, NEW_PASSWORD);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Ria.');
});

test('a demo member reads and dismisses a notice of a new post', async ({ page }, testInfo) => {
  await signIn(page, 'sam@demo.securebase', 'securebase-demo');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome back, Sam.');
  const nav = await mainNav(page);
  await nav.getByRole('link', { name: /Notices/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Notices');
  await expectAccessible(page, testInfo, '34-notices');
  const first = page.locator('li.notice-item').first();
  const title = await first.getByRole('heading').innerText();
  await first.getByRole('button', { name: /^Dismiss/ }).click();
  await expect(page.getByRole('status')).toContainText('The notice is dismissed.');
  await expect(page.getByRole('heading', { name: title })).toHaveCount(0);
});
