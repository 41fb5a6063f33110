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
  // Each point's day and value, read with the keyboard.
  await needs.locator('svg.chart').focus();
  await page.keyboard.press('Home');
  await expect(needs.locator('.chart-readout')).toHaveText(/^\d{1,2} [A-Z][a-z]{2}: 4\.0$/);
  await page.keyboard.press('End');
  await expect(needs.locator('.chart-readout')).toHaveText(/^\d{1,2} [A-Z][a-z]{2}: 7\.0$/);
  await expect(needs.locator('circle.is-current')).toHaveCount(1);
  await expectAccessible(page, testInfo, '51-dashboard');
});

/** The distinct rows (top edges) and the smallest width and height of a scale's choices. */
async function measure(scale) {
  const boxes = await scale.locator('.scale-point').evaluateAll((els) =>
    els.map((e) => { const r = e.getBoundingClientRect(); return { top: Math.round(r.top), width: r.width, height: r.height }; }));
  return {
    rows: new Set(boxes.map((b) => b.top)).size,
    narrowest: Math.min(...boxes.map((b) => b.width)),
    lowest: Math.min(...boxes.map((b) => b.height)),
    right: await scale.evaluate((e) => e.getBoundingClientRect().right),
  };
}

test('rating scales fit the screen with choices of at least 44 by 44 px', async ({ page }, testInfo) => {
  await signUp(page, uniqueEmail(testInfo, 'ria'), 'Ria');
  const phone = testInfo.project.name === 'phone';
  const width = page.viewportSize().width;

  await page.goto('/know/checkins/needs');
  const eleven = await measure(page.locator('.scale').first());
  expect(eleven.narrowest).toBeGreaterThanOrEqual(44);
  expect(eleven.lowest).toBeGreaterThanOrEqual(44);
  expect(eleven.rows).toBe(phone ? 2 : 1);
  expect(eleven.right).toBeLessThanOrEqual(width);

  await page.goto('/know/checkins/today');
  const five = await measure(page.locator('.scale').first());
  expect(five.rows).toBe(1);
  expect(five.narrowest).toBeGreaterThanOrEqual(44);
  expect(five.lowest).toBeGreaterThanOrEqual(44);

  await page.goto('/know/instruments/closeness-reflection');
  const worded = await measure(page.locator('.scale').first());
  expect(worded.rows).toBe(phone ? 7 : 1);
  expect(worded.lowest).toBeGreaterThanOrEqual(44);
  expect(worded.narrowest).toBeGreaterThanOrEqual(44);
  expect(worded.right).toBeLessThanOrEqual(width);
  // A choice is made by its label, and shows as chosen.
  await page.locator('.scale').first().locator('.scale-point', { hasText: /^\s*Agree\s*$/ }).click();
  await expect(page.locator('.scale').first().getByLabel('Agree', { exact: true })).toBeChecked();
  await expectAccessible(page, testInfo, '52-reflection-scales');
});
