// Check-ins: the needs check-in on two different days, then the chart.
const { test, expect } = require('@playwright/test');
const { expectAccessible, mainNav, signUp, uniqueEmail } = require('./helpers');

async function needsCheckIn(page, value) {
  await page.goto('/know/checkins/needs');
  const groups = page.locator('fieldset.item');
  const count = await groups.count();
  for (let i = 0; i < count; i++) {
    await groups.nth(i).getByLabel(String(value), { exact: true }).check();
  }
  await page.getByLabel(/Which need would you like/).selectOption('repair');
  await page.getByRole('button', { name: 'Save check-in' }).click();
  await expect(page.getByRole('status')).toContainText('Your check-in is saved.');
}

async function setZone(page, zone) {
  await page.goto('/settings');
  await page.getByLabel('Time zone').selectOption(zone);
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('status')).toContainText('Your settings are saved.');
}

test('the needs check-in on two days shows as a line on the dashboard', async ({ page }, testInfo) => {
  await signUp(page, uniqueEmail(testInfo, 'noa'), 'Noa');
  // Honolulu and Kiritimati are a whole day apart, so the same moment falls on two calendar days.
  await setZone(page, 'Pacific/Honolulu');
  await needsCheckIn(page, 4);
  await expectAccessible(page, testInfo, '50-checkin-needs');
  await setZone(page, 'Pacific/Kiritimati');
  await needsCheckIn(page, 7);

  await (await mainNav(page)).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('How you are changing');
  const needs = page.locator('section.chart-card', { has: page.getByRole('heading', { name: 'Needs' }) });
  await expect(needs.locator('svg.chart circle')).toHaveCount(2);
  await expect(needs.locator('svg.chart polyline')).toHaveCount(1);
  await needs.getByText(/The numbers/).click();
  await expect(needs.locator('tbody tr')).toHaveCount(2);
  await expect(page.getByText('Needs that have felt least met')).toBeVisible();
  await expectAccessible(page, testInfo, '51-dashboard');
});
