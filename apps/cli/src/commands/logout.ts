import type { Command } from 'commander';
import { connect } from '../client';
import { configPath, readConfig, removeConfig } from '../config';
import type { CliContext } from '../context';
import { exitCodes } from '../errors';
import { describeFailure } from '../failure';
import { printJson, wantsJson } from '../format';

export function registerLogout(program: Command, ctx: CliContext): void {
  program
    .command('logout')
    .description('end the session on the server and forget it here')
    .action(async (_options: unknown, command: Command) => {
      const stored = await readConfig(ctx.env);
      let revokeError: unknown;
      if (stored.token || ctx.env.TICKETS_TOKEN) {
        try {
          const { client } = await connect(ctx);
          await client.auth.signOut.mutate();
        } catch (error) {
          // A session the server no longer knows is as signed out as it gets.
          if (describeFailure(error).exitCode !== exitCodes.auth) revokeError = error;
        }
      }
      await removeConfig(ctx.env);
      if (wantsJson(command)) printJson(ctx.stdout, { signedOut: true, configPath: configPath(ctx.env) });
      else ctx.stdout.write(`Signed out; removed ${configPath(ctx.env)}.\n`);
      if (ctx.env.TICKETS_TOKEN) ctx.stderr.write('Note: TICKETS_TOKEN is still set in your environment.\n');
      if (revokeError) {
        ctx.stderr.write('The server could not be told: the session stays valid there until it expires.\n');
        throw revokeError;
      }
    });
}
