import { Command, CommanderError } from 'commander';
import { registerAssign } from './commands/assign';
import { registerClose } from './commands/close';
import { registerCreate } from './commands/create';
import { registerDownload } from './commands/download';
import { registerEscalate } from './commands/escalate';
import { registerList } from './commands/list';
import { registerLogin } from './commands/login';
import { registerLogout } from './commands/logout';
import { registerLogs } from './commands/logs';
import { registerReopen } from './commands/reopen';
import { registerReply } from './commands/reply';
import { registerShow } from './commands/show';
import { registerStats } from './commands/stats';
import { registerUpload } from './commands/upload';
import { registerUsers } from './commands/users';
import { registerWatch } from './commands/watch';
import { registerWhoami } from './commands/whoami';
import { registerWorkspaces } from './commands/workspaces';
import type { CliContext } from './context';
import { exitCodes } from './errors';
import { describeFailure } from './failure';

const commands = [
  registerLogin,
  registerLogout,
  registerWhoami,
  registerList,
  registerShow,
  registerCreate,
  registerReply,
  registerAssign,
  registerEscalate,
  registerClose,
  registerReopen,
  registerUpload,
  registerDownload,
  registerLogs,
  registerStats,
  registerUsers,
  registerWorkspaces,
  registerWatch,
];

function buildProgram(ctx: CliContext): Command {
  const program = new Command('tickets')
    .description('The tickets platform from the command line.')
    .option('--json', 'machine-readable output (JSON)')
    .showHelpAfterError('(run `tickets help` for the commands)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
    });
  // Subcommands inherit the settings above: they are created after them.
  for (const register of commands) register(program, ctx);
  return program;
}

/** Runs one command line (without the program name) and answers its exit code; never exits itself. */
export async function run(argv: readonly string[], ctx: CliContext): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCodes.ok;
  } catch (error) {
    // Commander has printed its own message (or the help) already.
    if (error instanceof CommanderError) return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    const failure = describeFailure(error, ctx.serverUrl);
    if (program.opts().json === true) {
      ctx.stderr.write(`${JSON.stringify({ error: failure })}\n`);
    } else {
      ctx.stderr.write(`tickets: ${failure.message}\n`);
      if (failure.hint) ctx.stderr.write(`${failure.hint}\n`);
    }
    return failure.exitCode;
  }
}
