import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts'],
  format: 'esm',
  // Browsers and Node alike: nothing Node-specific may be pulled in.
  platform: 'neutral',
  target: 'es2022',
  clean: true,
  dts: { tsconfig: 'tsconfig.build.json', resolver: 'tsc' },
});
