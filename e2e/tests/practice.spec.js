// Practise: writing through a session that ends mid-sentence, the repair
// guide left half-way and resumed, and a cycle map drawn as a loop.
const { test, expect } = require('@playwright/test');
const { PASSWORD, expectAccessible, mainNav, signIn, signUp, uniqueEmail } = require('./helpers');

test('journal text typed after the session ended is still there after signing in again', async ({ page, browser }, testInfo) => {
  const email = uniqueEmail(testInfo, 'jun');
  await signUp(page, email, 'Jun');
  await page.goto('/practice/journal');
  await expectAccessible(page, testInfo, '60-journal-list');
  await page.getByRole('link', { name: /Write about this\s*: When I am hurt/ }).click();
  await expect(page.getByLabel('Starting question')).toHaveValue('how-i-protect');
  await page.getByLabel(/^Title/).fill('The long way home');
  const body = page.getByLabel('Your entry');
  await body.fill('I went quiet in the car.');
  await expect(page.locator('[data-draft-status]')).toContainText('Draft saved at', { timeout: 15_000 });
  await expectAccessible(page, testInfo, '61-journal-writing');

  // Elsewhere, the member ends every other session: this tab is signed out.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, email);
  await otherPage.goto('/settings/sessions');
  await otherPage.getByRole('button', { name: 'End all other sessions' }).click();
  await expect(otherPage.getByRole('status')).toContainText('other sessions have ended');
  await other.close();

  // Still typing, unaware.
  await body.press('End');
  await body.pressSequentially(' Then I said what I needed, which was a minute to breathe.');
  const status = page.locator('[data-draft-status]');
  await expect(status).toContainText('You have been signed out. Your words are still here on this page', { timeout: 15_000 });
  // Nothing of it stays in this browser's storage once the session has ended.
  const kept = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('securebase:draft:')));
  expect(await kept()).toEqual([]);
  await expectAccessible(page, testInfo, '62-journal-signed-out');

  await status.getByRole('button', { name: 'Sign in again and keep them' }).click();
  await expect(page).toHaveURL(/\/practice\/journal$/);
  await expect(page.getByLabel('What you were writing')).toHaveValue(/a minute to breathe/);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(/\/practice\/journal\/new/);
  const full = 'I went quiet in the car. Then I said what I needed, which was a minute to breathe.';
  await expect(page.getByLabel('Your entry')).toHaveValue(full);
  await expect(page.getByLabel(/^Title/)).toHaveValue('The long way home');
  await expect(page.getByText('Nothing was lost: your text is below, saved as a draft.')).toBeVisible();
  expect(await kept()).toEqual([]);

  // A reload now brings the same text back from the server.
  await page.reload();
  await expect(page.getByLabel('Your entry')).toHaveValue(full);
  await page.getByRole('button', { name: 'Save entry' }).click();
  await expect(page.getByRole('status').first()).toContainText('Your entry is saved.');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The long way home');
  await expect(page.locator('.entry-body')).toContainText('a minute to breathe');
  await expectAccessible(page, testInfo, '63-journal-entry');

  // The new-entry form is empty again: nothing stale comes back.
  await page.goto('/practice/journal/new');
  await expect(page.getByLabel('Your entry')).toHaveValue('');
});

test('the repair guide can be left half-way and picked up again', async ({ page, browser }, testInfo) => {
  await signUp(page, uniqueEmail(testInfo, 'kit'), 'Kit');
  await page.goto('/practice');
  await expectAccessible(page, testInfo, '64-practice');
  await page.getByRole('link', { name: 'Conflict-repair guide' }).click();
  await page.getByRole('link', { name: 'Start a repair plan' }).click();
  await expectAccessible(page, testInfo, '65-repair-safety');
  await page.getByLabel('No, I feel safe with them').check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Step 1 of 7: Slow down');
  // One of Start and Stop at a time: `hidden` wins over the button style.
  const startTimer = page.getByRole('button', { name: 'Start a 20-minute pause' });
  const stopTimer = page.locator('[data-timer-stop]');
  await expect(startTimer).toBeVisible();
  await expect(stopTimer).toBeHidden();
  await startTimer.click();
  await expect(page.locator('[data-timer-display]')).toHaveText(/^19:5\d$/, { timeout: 5_000 });
  await expect(startTimer).toBeHidden();
  await expect(stopTimer).toBeVisible();
  await stopTimer.click();
  await expect(startTimer).toBeVisible();
  await expect(stopTimer).toBeHidden();
  await expect(page.getByLabel(/What you could say before you pause/)).toHaveValue(/I will come back/);
  await expectAccessible(page, testInfo, '66-repair-step-1');
  await page.getByRole('button', { name: 'Save and continue' }).click();

  await page.getByLabel('What happened').fill('We argued about who forgot the tickets.');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.getByLabel('Hurt', { exact: true }).check();
  await page.getByLabel('Lonely', { exact: true }).check();
  await page.getByLabel(/In my own words/).fill('Like it was all on me.');
  await expectAccessible(page, testInfo, '67-repair-step-3');
  await page.getByRole('button', { name: 'Save and stop for now' }).click();
  await expect(page.getByRole('status')).toContainText('Your plan is kept');

  // Later: the home page and the list both lead back to where it stopped.
  await page.goto('/');
  await expect(page.getByText('Finish your repair plan', { exact: true })).toBeVisible();
  await page.goto('/practice/repair');
  await expect(page.getByText('in progress: step 4 of 7')).toBeVisible();
  await page.getByRole('link', { name: 'We argued about who forgot the tickets.' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Step 4 of 7: How I protected myself');
  await page.getByRole('link', { name: '3. Feelings' }).click();
  await expect(page.getByLabel('Hurt', { exact: true })).toBeChecked();
  await expect(page.getByLabel('Lonely', { exact: true })).toBeChecked();
  await expect(page.getByLabel(/In my own words/)).toHaveValue('Like it was all on me.');
  await page.getByRole('button', { name: 'Save and continue' }).click();

  await page.getByLabel('Went quiet or left the room').check();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.getByLabel('My part in the impact').fill('I blamed before I asked.');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.getByLabel('What I need').fill('To hear that we are a team.');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.getByRole('button', { name: 'Finish the plan' }).click();
  await expect(page.locator('#repair_attempt-error')).toContainText('Write your repair attempt');
  await page.getByLabel(/My repair attempt/).fill('I am sorry I blamed you. Can we sort the tickets together?');
  await page.getByRole('button', { name: 'Finish the plan' }).click();

  await expect(page.getByRole('status')).toContainText('Your repair plan is complete.');
  await expect(page.getByText('Hurt, Lonely')).toBeVisible();
  await expect(page.getByText('Can we sort the tickets together?')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Print this plan' })).toBeVisible();
  await expectAccessible(page, testInfo, '68-repair-plan');

  // Without JavaScript the print button would do nothing, so it is not shown.
  const noScript = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const plain = await noScript.newPage();
  await plain.goto(page.url());
  await expect(plain.getByText('Can we sort the tickets together?')).toBeVisible();
  await expect(plain.locator('[data-print]')).toBeHidden();
  await noScript.close();
});

test('a cycle map is drawn as a loop and keeps its earlier version', async ({ page }, testInfo) => {
  await signUp(page, uniqueEmail(testInfo, 'lou'), 'Lou');
  await page.goto('/practice/cycle');
  await page.getByLabel(/Name for this map/).fill('Sunday evenings');
  await page.getByLabel('My trigger', { exact: true }).fill('The phone comes out at dinner');
  await page.getByRole('button', { name: 'Draw the loop' }).click();
  await expect(page.locator('#my_feeling-error')).toBeVisible();
  await expect(page.getByLabel('My trigger', { exact: true })).toHaveValue('The phone comes out at dinner');
  await page.getByLabel('What I feel underneath', { exact: true }).fill('Invisible');
  await page.getByLabel('What I do to protect myself', { exact: true }).fill('I make a sharp comment');
  await page.getByLabel('How my partner may read it', { exact: true }).fill('Being told off');
  await page.getByLabel('What my partner does', { exact: true }).fill('Scrolls more, says nothing');
  await page.getByRole('button', { name: 'Draw the loop' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sunday evenings');
  const svg = page.locator('svg.cycle-map:visible');
  await expect(svg).toBeVisible();
  await expect(svg.locator('rect.cycle-box')).toHaveCount(5);
  await expect(svg.locator('path.cycle-arrow')).toHaveCount(5);
  await expect(svg).toContainText('The cycle is the problem,');
  await expect(page.locator('.cycle-text-list')).toContainText('What my partner does: Scrolls more, says nothing');
  await expectAccessible(page, testInfo, '69-cycle-map');

  await page.getByLabel('What I feel underneath', { exact: true }).fill('Invisible, and afraid I am boring to them');
  await page.getByRole('button', { name: 'Save a new version' }).click();
  await expect(page.getByRole('status')).toContainText('A new version of your map is saved');
  await expect(svg).toContainText('afraid I am boring');
  await page.getByRole('link', { name: 'Version 1' }).click();
  await expect(page.getByText('Version 1 of 2: an earlier understanding')).toBeVisible();
  await expect(page.locator('.cycle-text-list')).toContainText('What I feel underneath: Invisible');
  await expect(page.locator('.cycle-text-list')).not.toContainText('boring');
});

test('affirmations, moments of return and the member home', async ({ page }, testInfo) => {
  await signUp(page, uniqueEmail(testInfo, 'mae'), 'Mae');
  await page.goto('/practice/affirmations');
  await expect(page.getByText('1 of 5')).toBeVisible();
  await page.getByRole('button', { name: 'Keep as a favourite' }).click();
  await expect(page.getByText('a favourite')).toBeVisible();
  await page.getByRole('link', { name: 'Next' }).click();
  await page.getByRole('button', { name: "This one doesn't fit: hide it" }).click();
  await expect(page.getByText(/of 4/)).toBeVisible();
  await expectAccessible(page, testInfo, '70-affirmations');

  await page.goto('/practice/returns');
  await page.getByLabel('What happened, in a sentence').fill('We made up before bed.');
  await page.getByRole('button', { name: 'Save the moment' }).click();
  await expect(page.getByRole('status')).toContainText('Your moment of return is saved.');
  await expect(page.getByText('We made up before bed.')).toBeVisible();
  await expectAccessible(page, testInfo, '71-returns');

  await page.goto('/');
  await expect(page.getByText('We made up before bed.')).toBeVisible();
  await expect(page.getByText('A question you have not written about', { exact: true })).toBeVisible();
  await expectAccessible(page, testInfo, '72-member-home');
});

test('the other practice pages are accessible, errors included', async ({ page }, testInfo) => {
  await signUp(page, uniqueEmail(testInfo, 'nat'), 'Nat');
  await page.goto('/practice/reframe');
  await page.getByLabel(/What do we both want/).fill('To feel like a team');
  await page.getByRole('button', { name: 'Save the reframe' }).click();
  await expect(page.locator('#disagreement-error')).toBeVisible();
  await expect(page.getByLabel(/What do we both want/)).toHaveValue('To feel like a team');
  await expectAccessible(page, testInfo, '73-reframe-errors');
  await page.getByLabel(/The disagreement/).fill('Where to spend the holidays');
  await page.getByLabel(/One next step/).fill('Talk on Sunday');
  await page.getByRole('button', { name: 'Save the reframe' }).click();
  await expect(page.getByRole('status').first()).toContainText('saved as a private journal entry');
  await expect(page.locator('.entry-body')).toContainText('What we both want');

  await page.getByRole('button', { name: 'Delete this entry' }).click();
  await expect(page.getByRole('status')).toContainText('The entry is deleted.');
  await expect(page.getByRole('button', { name: 'Undo' })).toBeVisible();
  await expectAccessible(page, testInfo, '74-deleted-with-undo');

  await page.goto('/practice/repair/new');
  await page.getByLabel('Yes, I am afraid').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This is not the tool for right now');
  await expect(page.getByRole('link', { name: 'Go to the Safety page' })).toBeVisible();
  await expectAccessible(page, testInfo, '75-repair-not-safe');
  await page.goto('/practice/repair');
  await expect(page.getByText('No plans yet.')).toBeVisible();

  await page.goto('/practice/returns');
  await page.getByLabel('When').fill('2999-01-01');
  await page.getByLabel('What happened, in a sentence').fill('Too soon');
  await page.getByRole('button', { name: 'Save the moment' }).click();
  await expect(page.locator('#day-error')).toBeVisible();
  await expect(page.getByLabel('What happened, in a sentence')).toHaveValue('Too soon');
  await expectAccessible(page, testInfo, '76-returns-errors');
});

test('a coach adds a journal prompt for everyone and retires it', async ({ page }, testInfo) => {
  await signIn(page, 'coach@demo.securebase', 'securebase-demo');
  await page.goto('/coach/posts');
  await page.getByRole('link', { name: 'Journal prompts for members' }).click();
  await page.getByRole('button', { name: 'Add the prompt' }).click();
  await expect(page.locator('#text-error')).toBeVisible();
  await expectAccessible(page, testInfo, '77-coach-prompts');
  const text = `What surprised you this week? (${testInfo.project.name} ${Date.now()})`;
  await page.getByLabel('The question').fill(text);
  await page.getByRole('button', { name: 'Add the prompt' }).click();
  await expect(page.getByRole('status')).toContainText('The prompt is added for every member.');
  await page.locator('li', { hasText: text }).getByRole('button', { name: /Retire/ }).click();
  await expect(page.getByRole('status')).toContainText('The prompt is retired.');
  await expect(page.getByText(text)).toHaveCount(0);
});

test('words typed just before signing out are saved first', async ({ page }, testInfo) => {
  const email = uniqueEmail(testInfo, 'oz');
  await signUp(page, email, 'Oz');
  await page.goto('/practice/journal/new');
  await page.getByLabel('Your entry').fill('Written a moment before signing out.');
  // Straight away, before the next timed save.
  await (await mainNav(page)).getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('status')).toContainText('You have signed out.');
  await signIn(page, email);
  await page.goto('/practice/journal/new');
  await expect(page.getByLabel('Your entry')).toHaveValue('Written a moment before signing out.');
});

// One pattern for every delete: it happens at once, and "Undo" beside the
// message brings the item back, with or without JavaScript, at both widths.
test('a delete can be undone, with and without JavaScript, on a phone and a desktop', async ({ page, browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'this test visits both widths itself');
  await signUp(page, uniqueEmail(testInfo, 'undo'), 'Uma');
  const storageState = await page.context().storageState();
  const widths = [{ width: 390, height: 844 }, { width: 1280, height: 900 }];
  for (const [i, viewport] of widths.entries()) {
    for (const javaScriptEnabled of [true, false]) {
      const context = await browser.newContext({ viewport, javaScriptEnabled, storageState, colorScheme: i === 0 ? 'dark' : 'light' });
      const tab = await context.newPage();
      const words = `Moment ${viewport.width} ${javaScriptEnabled ? 'js' : 'nojs'}`;
      await tab.goto('/practice/returns');
      await tab.getByLabel('What happened, in a sentence').fill(words);
      await tab.getByRole('button', { name: 'Save the moment' }).click();
      await expect(tab.getByText(words)).toBeVisible();
      await tab.getByRole('button', { name: `Delete the moment of` }).first().click();
      await expect(tab.getByRole('status')).toContainText('The moment is deleted.');
      await expect(tab.getByText(words)).toHaveCount(0);
      const undo = tab.getByRole('button', { name: 'Undo' });
      await expect(undo).toBeVisible();
      const box = await undo.boundingBox();
      expect(box.height).toBeGreaterThanOrEqual(40);
      if (javaScriptEnabled) await expectAccessible(tab, testInfo, `76-undo-${viewport.width}`);
      await undo.click();
      await expect(tab.getByRole('status')).toContainText('Undone');
      await expect(tab.getByText(words)).toBeVisible();
      // The offer was for one page only.
      await tab.reload();
      await expect(tab.getByRole('button', { name: 'Undo' })).toHaveCount(0);
      await context.close();
    }
  }
});

// With an unfinished entry kept, "New entry" starts another beside it: both
// are kept as drafts, and saving the new one leaves the first as it was and
// nothing of either in this browser's storage.
test('a new journal entry can be started beside a kept draft', async ({ page }, testInfo) => {
  await signUp(page, uniqueEmail(testInfo, 'two'), 'Tove');
  await page.goto('/practice/journal/new');
  await page.getByLabel(/^Title/).fill('Still thinking');
  await page.getByLabel('Your entry').fill('The first thing I am not done with.');
  await expect(page.locator('[data-draft-status]')).toContainText('Draft saved at', { timeout: 15_000 });

  await page.goto('/practice/journal');
  await expect(page.getByRole('link', { name: /^Continue “Still thinking”/ })).toBeVisible();
  await page.getByRole('link', { name: 'New entry' }).click();
  await expect(page.getByLabel('Your entry')).toHaveValue('');
  await page.getByLabel('Your entry').fill('Something else entirely.');
  await expect(page.locator('[data-draft-status]')).toContainText('Draft saved at', { timeout: 15_000 });
  await page.goto('/practice/journal');
  await expect(page.getByRole('heading', { name: 'Unfinished entries' })).toBeVisible();
  await expectAccessible(page, testInfo, '77-journal-two-drafts');

  await page.getByRole('link', { name: /^Continue “Something else entirely.”/ }).click();
  await page.getByRole('button', { name: 'Save entry' }).click();
  await expect(page.getByRole('status').first()).toContainText('saved');
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('securebase:draft:')))).toEqual([]);
  await page.goto('/practice/journal');
  await expect(page.getByRole('link', { name: /^Continue “Still thinking”/ })).toBeVisible();
  await expect(page.getByRole('link', { name: /Continue “Something else/ })).toHaveCount(0);
});
