#!/usr/bin/env node
// Regenerates docs/configuration.md from the config schema (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../dist/config/json-schema.js';
import { configReference } from '../dist/config/reference.js';

const target = new URL('../docs/configuration.md', import.meta.url);
writeFileSync(target, configReference(configJsonSchema()));
console.log(`wrote ${target.pathname}`);
