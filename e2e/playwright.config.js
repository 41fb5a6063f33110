// Browser tests in Debian's Chromium (never a downloaded browser), against a
// release build with its own fresh data folder (and PostgreSQL database when
// E2E_DATABASE_URL is set). Screenshots go to e2e/artifacts/.
const { defineConfig } = require('@playwright/test');
const os = require('os');
const path = require('path');

const port = process.env.E2E_PORT || '8181';
const dataDir = process.env.E2E_DATA_DIR || path.join(os.tmpdir(), `securebase-e2e-${process.pid}`);
const binary = process.env.SECUREBASE_BIN || path.join(__dirname, '..', 'target', 'release', 'securebase');
// The tests read mail from the outbox with the same binary and data folder.
process.env.E2E_DATA_DIR = dataDir;
process.env.SECUREBASE_BIN = binary;
// Every test is a different person: each says where it comes from (as a
// reverse proxy would), so one test's sign-ups do not hold up the next.
const serverEnv = { ...process.env, RUST_LOG: 'warn', SECUREBASE_TRUST_FORWARDED_FOR: 'true' };
if (process.env.E2E_DATABASE_URL) serverEnv.DATABASE_URL = process.env.E2E_DATABASE_URL;

const chromium = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};

module.exports = defineConfig({
  testDir: './tests',
  outputDir: './artifacts/results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromium,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'desktop', use: { viewport: { width: 1280, height: 860 } } },
    { name: 'phone', use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } },
  ],
  webServer: {
    command: `"${binary}" --data-dir "${dataDir}" --bind 127.0.0.1:${port} serve --demo`,
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: serverEnv,
  },
  globalTeardown: require.resolve('./teardown.js'),
});
