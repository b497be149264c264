import { defineConfig } from 'tsdown';

export default defineConfig({
  // `@tickets/client`, the React entry `@tickets/client/react` (hooks over TanStack Query), and the
  // webhook verifier, its own entry so a receiver imports it without the tRPC client.
  entry: ['src/index.ts', 'src/react.ts', 'src/webhooks.ts'],
  format: 'esm',
  // Browsers and Node alike: nothing Node-specific may be pulled in.
  platform: 'neutral',
  target: 'es2022',
  clean: true,
  dts: { tsconfig: 'tsconfig.build.json', resolver: 'tsc' },
  deps: {
    // tRPC's TanStack Query binding is inlined: its newest release declares exact peers on an older
    // tRPC (11.22.1) than ours, which would make npm refuse to install the SDK next to @trpc/* 11.25.2
    // (see docs/DECISIONS.md). React and TanStack Query stay peers, optional for non-React users.
    alwaysBundle: [/^@trpc\/tanstack-react-query$/],
    neverBundle: [/^@tickets\/client$/],
  },
});
