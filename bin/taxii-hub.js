#!/usr/bin/env node
'use strict';
// `taxii-hub match` runs where the logs are, often from cron: it loads only what it needs.
if (process.argv[2] === 'match') require('../dist/cli/match/match-main.js').runMatchCli();
else require('../dist/cli/main.js').runCli();
