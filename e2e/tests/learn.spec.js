// Learn: a visitor gets started, reads, searches; a coach writes, previews,
// schedules and publishes; visitors see only what is published.
const { test, expect } = require('@playwright/test');
const { expectAccessible, mainNav, signIn, signUp, uniqueEmail } = require('./helpers');

test('a visitor takes get-started, reads a chapter, searches and opens a result', async ({ page }, testInfo) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Get started' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Where would you like to begin?');
  await expectAccessible(page, testInfo, '20-start');

  await page.getByLabel('My partner seems steadier in the relationship than I am').check();
  await page.getByLabel('With my partner').check();
  await page.getByLabel('We keep having the same argument').check();
  await page.getByRole('button', { name: 'Show my starting plan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A starting plan for the two of you.');
  await expectAccessible(page, testInfo, '21-start-plan');

  await page.getByRole('link', { name: 'What secure attachment is' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What secure attachment is');
  await expectAccessible(page, testInfo, '22-chapter');
  await page.getByRole('link', { name: /Next\s+What it is not/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What it is not');

  const search = (await mainNav(page)).getByRole('search', { name: 'Site' });
  await search.getByRole('searchbox').fill('reassurance');
  await search.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('status')).toContainText('for “reassurance”');
  await expect(page.locator('.search-results mark').first()).toBeVisible();
  await expectAccessible(page, testInfo, '23-search');
  await page.locator('.search-results a').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page).not.toHaveURL(/\/search/);

  await page.goto('/guide');
  await expectAccessible(page, testInfo, '24-guide-index');
  await page.goto('/faq');
  await expectAccessible(page, testInfo, '25-faq');
  await page.goto('/resources');
  await expectAccessible(page, testInfo, '26-resources');
  await page.goto('/posts');
  await expectAccessible(page, testInfo, '27-posts');
});

test('a coach previews, schedules one post and publishes another; visitors see only the published one', async ({ page, browser }, testInfo) => {
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  await signIn(page, 'coach@demo.securebase', 'securebase-demo');
  await (await mainNav(page)).getByRole('link', { name: 'Write', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your posts');
  await expectAccessible(page, testInfo, '28-editor-list');

  // A scheduled post, written with the live preview.
  await page.getByRole('link', { name: 'Write a new post' }).click();
  await page.getByLabel('Title', { exact: true }).fill(`Later ${stamp}`);
  await page.getByLabel(/^Text/).fill('## Coming soon\n\nA *gentle* note.');
  await expect(page.locator('#post-preview h2')).toHaveText('Coming soon');
  await expect(page.locator('#post-preview em')).toHaveText('gentle');
  await page.getByLabel('Schedule for later').check();
  await page.getByLabel(/Date and time/).fill('2031-06-01T09:30');
  await expectAccessible(page, testInfo, '29-editor');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toContainText('The post is saved.');
  await expect(page.getByRole('row', { name: new RegExp(`Later ${stamp}`) })).toContainText('Scheduled');

  // A post published now.
  await page.getByRole('link', { name: 'Write a new post' }).click();
  await page.getByLabel('Title', { exact: true }).fill(`Now ${stamp}`);
  await page.getByLabel(/^Text/).fill('Published straight away.');
  await page.getByLabel('Publish now').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('row', { name: new RegExp(`Now ${stamp}`) })).toContainText('Published');

  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto('/posts');
  await expect(visitor.getByRole('link', { name: `Now ${stamp}` })).toBeVisible();
  await expect(visitor.getByText(`Later ${stamp}`)).toHaveCount(0);
  const slug = `later-${stamp.toLowerCase()}`;
  const response = await visitor.goto(`/posts/${slug}`);
  expect(response.status()).toBe(404);
  await visitor.goto('/posts');
  await visitor.getByRole('link', { name: `Now ${stamp}` }).click();
  await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(`Now ${stamp}`);
  await expectAccessible(visitor, testInfo, '30-post');
  await visitorContext.close();
});

test('quick exit stays in reach after scrolling, on every page visited', async ({ page }, testInfo) => {
  const inReach = async (path) => {
    await page.goto(path);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForTimeout(100);
    const exit = page.locator('#quick-exit');
    await expect(exit, path).toBeInViewport();
    const box = await exit.boundingBox();
    const viewport = page.viewportSize();
    expect(box.y, path).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height, path).toBeLessThanOrEqual(viewport.height);
    // Nothing is drawn over it.
    const onTop = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('#quick-exit') !== null,
      { x: box.x + box.width / 2, y: box.y + box.height / 2 });
    expect(onTop, path).toBe(true);
  };
  for (const path of ['/', '/guide/what-it-is', '/faq', '/safety', '/posts', '/resources']) await inReach(path);
  await signUp(page, uniqueEmail(testInfo, 'reach'), 'Rae');
  for (const path of ['/', '/together', '/together/reveal', '/practice', '/dashboard', '/settings']) await inReach(path);
});

test('on a phone the navigation is a menu beside quick exit, with and without JavaScript', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'the menu is for narrow screens');
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled });
    const page = await context.newPage();
    await page.goto('/guide');
    // The header is one compact bar: brand, menu and quick exit.
    const header = await page.locator('.site-header').boundingBox();
    expect(header.height).toBeLessThan(80);
    await expect(page.locator('.site-nav-wrap')).toBeHidden();
    const menu = page.locator('.phone-menu');
    await expect(menu.getByRole('link', { name: 'FAQ' })).toBeHidden();
    await menu.locator('summary').click();
    await expect(menu.getByRole('link', { name: 'FAQ' })).toBeVisible();
    await expect(page.locator('#quick-exit')).toBeInViewport();
    const search = menu.getByRole('search', { name: 'Site' });
    await search.getByRole('searchbox').fill('repair');
    await search.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(/\/search\?q=repair/);
    await menu.locator('summary').click();
    await menu.getByRole('link', { name: 'FAQ' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/questions/i);
    if (javaScriptEnabled) await expectAccessible(page, testInfo, '24-phone-menu');
    await context.close();
  }
});
