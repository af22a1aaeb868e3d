#!/usr/bin/env node
// Entry point for `npx dann-doctor`: runs the compiled CLI (built by `npm ci` through the prepare script).
import '../dist/src/cli.js';
