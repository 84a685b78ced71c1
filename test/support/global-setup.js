// Integration and browser tests run the built app, so build it once before any suite starts.
const { execSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
  if (process.env.SKIP_BUILD === '1') return;
  execSync('node scripts/build.mjs', { cwd: path.resolve(__dirname, '../..'), stdio: 'inherit' });
};
