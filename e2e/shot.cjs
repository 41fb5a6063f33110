const { chromium } = require('@playwright/test');
(async () => {
  const [email, path, out, width, dark, action] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  const ctx = await browser.newContext({ viewport: { width: +width, height: 844 }, colorScheme: dark === 'dark' ? 'dark' : 'light' });
  const page = await ctx.newPage();
  const base = process.env.BASE || 'http://127.0.0.1:8300';
  if (email !== '-') {
    await page.goto(base + '/signin');
    await page.fill('#email', email);
    await page.fill('#password', 'securebase-demo');
    await page.press('#password', 'Enter');
    await page.waitForLoadState('networkidle');
  }
  await page.goto(base + path);
  if (action) { await page.getByRole('button', { name: new RegExp(action) }).first().click(); await page.waitForLoadState('networkidle'); }
  await page.screenshot({ path: out, fullPage: false });
  await browser.close();
})();
