import { defineConfig } from 'tsdown';

// The server and its CLI as plain JavaScript, so a start loads a few files instead of transpiling
// hundreds of TypeScript modules through tsx. The @tickets/* packages are inlined (they ship TypeScript
// sources); every other import stays external and is resolved from this package's node_modules at run
// time, which is why package.json lists the third-party dependencies of the inlined packages too.
// Plain JavaScript with no native parts, no worker files and no dynamic requires: inlined too, because
// loading kysely's 263 ES modules one by one took ~200 ms of every start. pg (optional native binding),
// pino (worker-thread transports), argon2 (native), PGlite (WebAssembly next to it), nodemailer and the
// S3 client (large, loaded only by their features) stay external.
const pureJavaScriptDependencies = [
  /^kysely$/,
  /^zod$/,
  /^hono($|\/)/,
  /^@hono\//,
  /^@trpc\/server($|\/)/,
  /^superjson$/,
  /^cookie$/,
  /^@oslojs\//,
  /^luxon$/,
];

export default defineConfig({
  // Both entries at the top of dist/, beside their shared chunk: env.ts finds the repository root three
  // folders above whichever file it is bundled into, as it does from src/.
  entry: { main: 'src/main.ts', 'create-superadmin': 'src/cli/create-superadmin.ts' },
  format: 'esm',
  // .js (this package is "type": "module"), as the start scripts name it.
  fixedExtension: false,
  platform: 'node',
  target: 'node20.19',
  outDir: 'dist',
  clean: true,
  dts: false,
  // For `node --enable-source-maps dist/main.js` when a stack trace should name TypeScript lines; not on
  // by default, as it slows down every read of Error.stack.
  sourcemap: true,
  deps: {
    alwaysBundle: [/^@tickets\//, ...pureJavaScriptDependencies],
    // Anything else that would be inlined from node_modules fails the build instead: it means an
    // inlined package gained a dependency this package.json does not declare yet.
    onlyBundle: pureJavaScriptDependencies,
  },
});
