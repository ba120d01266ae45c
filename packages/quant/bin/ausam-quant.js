#!/usr/bin/env node
// The ausam-quant bin. Committed (not built) so that npm links it at install time, before dist/ exists.
const fs = require('fs');
const path = require('path');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  console.error(`ausam-quant: ${cli} is not built yet: run 'npm run build' (or 'npm run setup') at the repository root`);
  process.exit(1);
}
require(cli).runCli();
