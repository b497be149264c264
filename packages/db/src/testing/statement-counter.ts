import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';

/**
 * Counts the statements a Kysely instance runs (`db.withPlugin(counter)`): every one, builder or raw,
 * passes through its plugins, and each result once.
 */
export class StatementCounter implements KyselyPlugin {
  statements = 0;
  transformQuery(args: PluginTransformQueryArgs) {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs) {
    this.statements += 1;
    return args.result;
  }
}
