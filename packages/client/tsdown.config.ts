import { defineConfig } from 'tsdown';

export default defineConfig({
  // The webhook verifier is its own entry: a receiver imports it without the tRPC client.
  entry: ['src/index.ts', 'src/webhooks.ts'],
  format: 'esm',
  // Browsers and Node alike: nothing Node-specific may be pulled in.
  platform: 'neutral',
  target: 'es2022',
  clean: true,
  dts: { tsconfig: 'tsconfig.build.json', resolver: 'tsc' },
});
