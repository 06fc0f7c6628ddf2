#!/usr/bin/env node
import { main } from '../dist/cli/choiros.js';

await main(process.argv.slice(2));
