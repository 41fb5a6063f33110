// Know yourself: take the reflection twice and see both results on the plane,
// with the change described in words.
const { test, expect } = require('@playwright/test');
const { expectAccessible, mainNav, signUp, uniqueEmail } = require('./helpers');

async function answerAll(page, label) {
  const groups = page.locator('fieldset.item');
  const count = await groups.count();
  for (let i = 0; i < count; i++) {
    await groups.nth(i).getByLabel(label, { exact: true }).check();
  }
}

test('a member takes the reflection twice and sees both results on the plane', async ({ page }, testInfo) => {
  await signUp(page, uniqueEmail(testInfo, 'kit'), 'Kit');
  await (await mainNav(page)).getByRole('link', { name: 'Know yourself' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Know yourself');
  await expectAccessible(page, testInfo, '40-know');

  await page.getByRole('link', { name: 'Closeness reflection' }).click();
  await expectAccessible(page, testInfo, '41-take');
  // Leaving answers out: the form comes back with the given answers kept.
  await page.locator('fieldset.item').first().getByLabel('Agree', { exact: true }).check();
  await page.getByRole('button', { name: 'See my result' }).click();
  await expect(page.getByRole('alert')).toContainText('19 statements need an answer');
  await expect(page.locator('fieldset.item').first().getByLabel('Agree', { exact: true })).toBeChecked();

  await answerAll(page, 'Agree');
  await page.getByRole('button', { name: 'See my result' }).click();
  await expect(page.locator('svg.plane circle.plane-now')).toHaveCount(1);
  await expect(page.getByText('This is your first result')).toBeVisible();

  await page.getByRole('link', { name: 'Take it again' }).click();
  await answerAll(page, 'Somewhat disagree');
  await page.getByRole('button', { name: 'See my result' }).click();
  await expect(page.locator('svg.plane circle')).toHaveCount(2);
  await expect(page.locator('svg.plane polyline')).toHaveCount(1);
  await expect(page.locator('.changes li')).toHaveCount(2);
  await expect(page.locator('.changes li').first()).not.toContainText('cannot tell');
  await expect(page.getByText('cannot tell', { exact: false })).toHaveCount(1);
  await expect(page.locator('table tbody tr')).toHaveCount(2);
  await expectAccessible(page, testInfo, '42-result');
});
