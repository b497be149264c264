// pnpm hooks for this workspace.
module.exports = {
  hooks: {
    /**
     * The manifest a tarball gets (`pnpm pack` / `pnpm publish`): development-only fields are dropped, so a
     * published package never names the workspace's unpublished packages (@tickets/api, @tickets/db…)
     * that it needs only to build.
     */
    beforePacking(pkg) {
      delete pkg.devDependencies;
      delete pkg.scripts;
      delete pkg.sizeBudget;
      return pkg;
    },
  },
};
