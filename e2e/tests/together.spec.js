// Together, with two people in two browsers: invite and accept, share with a
// preview, edit and share again (both versions show), name a need and answer
// it, a repair with a time-out whose reminder arrives when the clock moves on,
// the mutual reveal, and unlinking (the partner's direct link is then 404).
const { test, expect } = require('@playwright/test');
const { execFileSync } = require('child_process');
const { expectAccessible, signUp, uniqueEmail } = require('./helpers');

/** Do the jobs due within the next `minutes`, as if that time had come. */
function advanceClock(minutes) {
  const env = { ...process.env };
  if (process.env.E2E_DATABASE_URL) env.DATABASE_URL = process.env.E2E_DATABASE_URL;
  execFileSync(process.env.SECUREBASE_BIN,
    ['--data-dir', process.env.E2E_DATA_DIR, 'jobs', 'run-due', '--ahead-minutes', String(minutes)], { env });
}

/** A datetime-local value `minutes` after the field's own minimum. */
async function laterThanMin(field, minutes) {
  const min = await field.getAttribute('min');
  const t = new Date(`${min}:00Z`).getTime() + minutes * 60_000;
  return new Date(t).toISOString().slice(0, 16);
}

test('two partners link, share, name a need, repair with a time-out, reveal, and unlink', async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const alexContext = await browser.newContext();
  const samContext = await browser.newContext();
  const alex = await alexContext.newPage();
  const sam = await samContext.newPage();
  await signUp(alex, uniqueEmail(testInfo, 'alex'), 'Alex');
  await signUp(sam, uniqueEmail(testInfo, 'sam'), 'Sam');

  // Invite with a link to copy; Sam sees who sent it, and accepts.
  await alex.goto('/together');
  await expectAccessible(alex, testInfo, '80-together-unlinked');
  await alex.getByRole('button', { name: 'Make a link to copy instead' }).click();
  const link = await alex.getByLabel('Invitation link').inputValue();
  expect(link).toMatch(/\/together\/join\/[0-9a-f]{64}$/);
  await sam.goto(new URL(link).pathname);
  await expect(sam.getByText('Alex invited you to link your accounts.')).toBeVisible();
  await expectAccessible(sam, testInfo, '81-together-join');
  await sam.getByRole('button', { name: 'Accept' }).click();
  await expect(sam.getByRole('heading', { name: 'You are linked with Alex' })).toBeVisible();
  await alex.goto('/together');
  await expect(alex.getByRole('heading', { name: 'You are linked with Sam' })).toBeVisible();
  await expectAccessible(alex, testInfo, '82-together-linked');

  // Alex writes an entry, previews exactly what Sam will see, and shares it.
  await alex.goto('/practice/journal/new');
  await alex.getByLabel(/^Title/).fill('After the call');
  await alex.getByLabel('Your entry').fill('I wanted to hear your voice.');
  await alex.getByRole('button', { name: 'Save entry' }).click();
  await alex.getByRole('link', { name: 'Share with your partner…' }).click();
  await expect(alex.getByRole('heading', { level: 1 })).toHaveText('Share this journal entry with Sam?');
  await expect(alex.locator('.snapshot')).toContainText('I wanted to hear your voice.');
  await expectAccessible(alex, testInfo, '83-together-preview');
  await alex.getByRole('button', { name: 'Share it' }).click();
  await expect(alex.getByRole('status')).toContainText('Shared.');
  const sharePath = new URL(alex.url()).pathname;

  await sam.goto('/together/shares');
  await sam.getByRole('link', { name: 'After the call' }).click();
  await expect(sam.locator('.snapshot')).toContainText('I wanted to hear your voice.');
  await expectAccessible(sam, testInfo, '84-together-shared-with-me');

  // Alex edits; Sam keeps the old version until Alex shares the new one.
  await alex.goto('/practice/journal');
  await alex.locator('.entry-list').getByRole('link', { name: 'After the call' }).first().click();
  await alex.getByRole('link', { name: 'Edit' }).click();
  await alex.getByLabel('Your entry').fill('I wanted to hear your voice, and I said so.');
  await alex.getByRole('button', { name: 'Save entry' }).click();
  await sam.reload();
  await expect(sam.locator('.snapshot')).toHaveCount(1);
  await alex.getByRole('link', { name: 'Share with your partner…' }).click();
  await alex.getByRole('button', { name: 'Share the new version' }).click();
  await sam.reload();
  await expect(sam.getByRole('heading', { name: /^Version 1/ })).toBeVisible();
  await expect(sam.getByRole('heading', { name: /^Version 2/ })).toBeVisible();
  await expect(sam.locator('.snapshot').first()).toContainText('and I said so.');
  await expect(sam.locator('.snapshot').last()).not.toContainText('and I said so.');

  // Sam names a need; Alex answers it.
  await sam.goto('/together/needs');
  await sam.getByLabel('Warmth').check();
  await sam.getByLabel('A message, if you like').fill('A hug at the door.');
  await sam.getByRole('button', { name: 'Name this need' }).click();
  await expect(sam.getByRole('status')).toContainText('Your need is named.');
  await expectAccessible(sam, testInfo, '85-together-needs');
  await alex.goto('/together/needs');
  await expect(alex.getByText('A hug at the door.')).toBeVisible();
  await alex.getByLabel('I hear you').check();
  await alex.getByRole('button', { name: 'Answer' }).click();
  await sam.reload();
  await expect(sam.getByText('Alex answered:')).toBeVisible();

  // Alex asks to repair; Sam needs time and promises a return.
  await alex.goto('/together/repair');
  await alex.getByLabel('A message, if you like').fill('I am sorry I walked off.');
  await alex.getByRole('button', { name: 'Send to Sam' }).click();
  await sam.goto('/together/repair');
  await sam.getByLabel("I need time, and I'll come back at …").check();
  const returnAt = sam.getByLabel('When you will come back');
  await returnAt.fill(await laterThanMin(returnAt, 30));
  await sam.getByRole('button', { name: 'Answer' }).click();
  await expect(sam.getByRole('status')).toContainText('Your answer is sent.');
  await expectAccessible(sam, testInfo, '86-together-repair');
  await alex.goto('/notices');
  await expect(alex.getByRole('link', { name: 'The time you agreed to come back' })).toHaveCount(0);
  advanceClock(60);
  await alex.goto('/notices');
  await expect(alex.getByRole('link', { name: 'The time you agreed to come back' })).toBeVisible();
  await sam.goto('/notices');
  await expect(sam.getByRole('link', { name: 'The time you agreed to come back' })).toBeVisible();
  await alex.goto('/together/repair');
  await alex.getByRole('button', { name: 'We found our way back' }).click();
  await expect(alex.getByText('Closed: you found your way back.')).toBeVisible();

  // The reveal: hidden until both have answered.
  await alex.goto('/together/reveal');
  const first = alex.locator('#q-reach-signal');
  await first.locator('summary').click();
  await first.getByLabel('Your answer').fill('I go quiet and hope you notice.');
  await first.getByRole('button', { name: 'Answer' }).click();
  await sam.goto('/together/reveal');
  await expect(sam.getByText('I go quiet and hope you notice.')).toHaveCount(0);
  const theirs = sam.locator('#q-reach-signal');
  await theirs.locator('summary').click();
  await theirs.getByLabel('Your answer').fill('I send a lot of messages.');
  await theirs.getByRole('button', { name: 'Answer' }).click();
  await expect(sam.locator('#q-reach-signal')).toContainText('I go quiet and hope you notice.');
  await expectAccessible(sam, testInfo, '87-together-reveal');
  await alex.reload();
  await expect(alex.locator('#q-reach-signal')).toContainText('I send a lot of messages.');

  // Unlink: told first; then Sam's direct link to the share is gone.
  await alex.goto('/together');
  await alex.getByRole('link', { name: 'Unlink' }).click();
  await expect(alex.getByText('Sam will notice the next time they open Together.')).toBeVisible();
  await expectAccessible(alex, testInfo, '88-together-unlink');
  await alex.getByRole('button', { name: 'Unlink now' }).click();
  await expect(alex.getByRole('status')).toContainText('You are unlinked.');
  const response = await sam.goto(sharePath);
  expect(response.status()).toBe(404);

  await alexContext.close();
  await samContext.close();
});
