import serverPackage from '../package.json' with { type: 'json' };

/** The server's version (apps/server/package.json, kept by Changesets): in /healthz and /openapi.json. */
export const serverVersion: string = serverPackage.version;
