// The list of test projects. Vitest 4 no longer reads this file by itself (workspace files were removed),
// so vitest.config.ts imports it into `test.projects`: this list is the one the runner really uses.
export default ['packages/*', 'apps/*'];
