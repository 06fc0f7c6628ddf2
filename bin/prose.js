#!/usr/bin/env node
import { main } from '../dist/cli/prose.js';

await main(process.argv.slice(2));
