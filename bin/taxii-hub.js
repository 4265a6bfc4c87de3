#!/usr/bin/env node
'use strict';
// The command runs the compiled code in dist/ (npm run build). Before a build there is none: say so
// in one line instead of a stack trace, and do not hide any other missing module.
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
function load(relative) {
  const file = path.join(dist, relative);
  try {
    return require(file);
  } catch (error) {
    if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(file)) {
      process.stderr.write(`taxii-hub: the hub is not built yet: run \`npm run build\` first (in ${path.join(__dirname, '..')})\n`);
      process.exit(1);
    }
    throw error;
  }
}

// `taxii-hub match` runs where the logs are, often from cron: it loads only what it needs.
if (process.argv[2] === 'match') load('cli/match/match-main.js').runMatchCli();
else load('cli/main.js').runCli();
