const { chromium } = require('@playwright/test');
(async () => {
  const base = process.env.BASE || 'http://127.0.0.1:8300';
  const who = process.env.WHO || 'alex';
  const pages = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  for (const [name, opts] of [['desk', { viewport: { width: 1280, height: 900 } }], ['phone', { viewport: { width: 390, height: 844 }, colorScheme: 'dark' }]]) {
    const ctx = await browser.newContext(opts);
    const page = await ctx.newPage();
    await page.goto(base + '/signin');
    await page.fill('#email', `${who}@demo.securebase`);
    await page.fill('#password', 'securebase-demo');
    await page.click('form[action="/signin"] button[type=submit]');
    await page.waitForLoadState('networkidle');
    for (const p of pages) {
      await page.goto(base + p);
      const file = `/tmp/shots/${who}-${name}${p.replace(/[\/?=&]/g, '_')}.png`;
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
    await ctx.close();
  }
  await browser.close();
})();
