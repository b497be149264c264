#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx: the CLI is used from the repository, unbuilt.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
