// Remove the data folder the test server used.
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
  const dataDir = process.env.E2E_DATA_DIR || path.join(os.tmpdir(), `securebase-e2e-${process.pid}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
};
