// The library: a coach uploads with the progress bar (and can cancel), adds a
// transcript and publishes; a member redeems a code, plays, seeks by a
// transcript line, leaves and comes back where they stopped, pins a note,
// and finds a spoken phrase through search, which opens at that moment.
const path = require('path');
const { test, expect } = require('@playwright/test');
const { expectAccessible, mainNav, signIn, signUp, uniqueEmail } = require('./helpers');

const CONTENT = path.join(__dirname, '..', '..', 'content', 'library');
const VIDEO = path.join(CONTENT, 'the-dance-we-get-stuck-in.mp4');
const TRANSCRIPT = path.join(CONTENT, 'the-dance-we-get-stuck-in.vtt');

/** The player's current time, once it has its metadata. */
async function playerTime(page) {
  await page.waitForFunction(() => document.getElementById('media').readyState >= 1);
  return page.evaluate(() => document.getElementById('media').currentTime);
}

test('a coach uploads with the progress bar, can cancel, adds a transcript and publishes', async ({ page }, testInfo) => {
  await signIn(page, 'coach@demo.securebase', 'securebase-demo');
  await page.goto('/coach/library');
  await expectAccessible(page, testInfo, '90-coach-library');

  // A slow connection, so Cancel has something to cancel: nothing of it stays.
  const cancelled = `Cancelled ${testInfo.project.name} ${Date.now()}`;
  await page.route('**/coach/library/uploads/*', async (route) => {
    if (route.request().method() === 'PATCH') await new Promise((r) => setTimeout(r, 3000));
    await route.continue().catch(() => {});
  });
  await page.getByLabel('Recording file').setInputFiles(VIDEO);
  await page.getByLabel(/^Title/).fill(cancelled);
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(page.locator('#upload-progress')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel upload' }).click();
  await expect(page.locator('#upload-status')).toHaveText('Upload cancelled. Nothing of it was kept.');
  await page.unroute('**/coach/library/uploads/*');
  await page.reload();
  await expect(page.getByRole('link', { name: cancelled })).toHaveCount(0);

  // Uploaded for real: it arrives as a draft with its length read from the file.
  const title = `Upload ${testInfo.project.name} ${Date.now()}`;
  await page.getByLabel('Recording file').setInputFiles(VIDEO);
  await page.getByLabel(/^Title/).fill(title);
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await page.waitForURL(/\/coach\/library\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.locator('main')).toContainText('length 1:18');

  // A broken transcript is refused with its line; a good one is kept.
  await page.getByLabel('WebVTT file').setInputFiles({
    name: 'broken.vtt', mimeType: 'text/vtt', buffer: Buffer.from('WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nBackwards\n'),
  });
  await page.getByRole('button', { name: 'Upload transcript' }).click();
  await expect(page.locator('#transcript-error')).toContainText('line 3');
  await page.getByLabel('WebVTT file').setInputFiles(TRANSCRIPT);
  await page.getByRole('button', { name: 'Upload transcript' }).click();
  await expect(page.getByRole('status')).toContainText('The transcript is saved');
  await expect(page.locator('main')).toContainText('transcript of 12 lines');

  await page.getByLabel('Chapters, one per line').fill('0:00 The loop\n0:46 The common enemy');
  await page.getByLabel('negative cycles').check();
  await page.getByRole('checkbox', { name: /Published/ }).check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Saved.');
  await expectAccessible(page, testInfo, '91-coach-recording');
  await page.goto('/coach/library');
  const row = page.getByRole('row', { name: new RegExp(title) });
  await expect(row).toContainText('Published');
  await expect(row).toContainText('fewer than 5');
});

test('a member redeems a code, seeks by the transcript, comes back where they stopped, pins a note and searches', async ({ page, browser }, testInfo) => {
  // The coach makes a one-use code.
  const coachContext = await browser.newContext();
  const coach = await coachContext.newPage();
  await signIn(coach, 'coach@demo.securebase', 'securebase-demo');
  await coach.goto('/coach/library/access');
  await coach.getByLabel(/^Label/).fill(`Test ${testInfo.project.name}`);
  await coach.getByLabel('How many people may use it').fill('1');
  await coach.getByLabel('Works for how many days').fill('7');
  await coach.getByRole('button', { name: 'Make a code' }).click();
  await expect(coach.getByRole('status')).toContainText('A new code is ready');
  await expectAccessible(coach, testInfo, '92-coach-access');
  const code = (await coach.locator('table code').first().textContent()).trim();
  await coachContext.close();

  // A new member finds the join page, and the code opens the library.
  await signUp(page, uniqueEmail(testInfo, 'watcher'), 'Robin');
  await (await mainNav(page)).getByRole('link', { name: 'Library' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The library of group sessions');
  await expectAccessible(page, testInfo, '93-library-join');
  await page.getByLabel('Your code').fill(code.toLowerCase());
  await page.getByRole('button', { name: 'Use this code' }).click();
  await expect(page.getByRole('status')).toContainText('Welcome to the library');
  await expectAccessible(page, testInfo, '94-library-home');

  // Play, then jump by a transcript line: the player goes there and lights the line.
  await page.getByRole('link', { name: 'The dance we get stuck in' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The dance we get stuck in');
  await page.evaluate(() => { document.getElementById('media').muted = true; });
  await page.locator('#transcript a', { hasText: 'Here is the shift that helps' }).click();
  await expect.poll(() => page.evaluate(() => document.getElementById('media').currentTime)).toBeGreaterThan(45.5);
  await expect(page.locator('#transcript li.current')).toContainText('Here is the shift that helps');
  await page.evaluate(() => document.getElementById('media').pause());
  await expectAccessible(page, testInfo, '95-library-recording');

  // Pause to reflect: the note takes the moment the player is at.
  await expect(page.getByLabel('At (minutes:seconds)')).toHaveValue(/^0:4[6-9]$/);
  await page.getByLabel('Your note').fill('Name the loop out loud next time.');
  await page.getByRole('button', { name: 'Pin this note' }).click();
  await expect(page.getByRole('status')).toContainText('Your note is pinned');
  await expect(page.locator('#notes')).toContainText('Name the loop out loud next time.');

  // Leave, come back: the home offers to continue, and the player starts there.
  await page.goto('/library');
  const continuing = page.getByRole('region', { name: 'Continue where you stopped' });
  await continuing.getByRole('link', { name: 'The dance we get stuck in' }).click();
  await expect(page.locator('main')).toContainText('Picking up where you stopped');
  expect(await playerTime(page)).toBeGreaterThan(45);

  // The notes page lists it with a link to its moment.
  await page.goto('/library/notes');
  await expect(page.locator('main')).toContainText('Name the loop out loud next time.');

  // A phrase spoken in a session is found, and opens at that moment.
  await page.goto('/search?q=playful+name');
  const hit = page.getByRole('link', { name: /The dance we get stuck in at 1:11/ }).first();
  await hit.click();
  await expect(page).toHaveURL(/\?t=71$/);
  expect(await playerTime(page)).toBeGreaterThan(70);
});

test('without a membership the library is a kind join page and search shows no transcripts', async ({ page }, testInfo) => {
  await signUp(page, uniqueEmail(testInfo, 'newcomer'), 'Kim');
  await page.goto('/library');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The library of group sessions');
  await expect(page.locator('main')).toContainText('Have a code?');
  await page.goto('/search?q=playful+name');
  await expect(page.locator('main')).not.toContainText('The dance we get stuck in');
  await expectAccessible(page, testInfo, '96-library-search-without-access');
});
