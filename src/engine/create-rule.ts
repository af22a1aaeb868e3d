// Typed rule constructor (after typescript-eslint's RuleCreator): message ids and option names are checked at compile time.
import type { Rule, RuleMeta, RuleContext, CheckResult } from './types.js';

/**
 * Declares a rule. `MessageIds` is inferred from `meta.messages` and `Options` from `meta.options`, so
 * `ctx.report({ messageId: 'typo' })`, `ctx.options.typo` or an `optionDocs` entry for a missing option fail to
 * compile. Returns the rule unchanged (a typed identity).
 *
 * @example export default createRule({ meta: { id: 'x', messages: { high: 'too high ({{v}})' }, options: { level: 90 }, ... }, check(ctx) { ... } })
 */
export function createRule<const Options extends Record<string, number>, const MessageIds extends string>(rule: {
  meta: RuleMeta<Options, MessageIds> & { optionDocs: { [K in keyof Options & string]: string } };
  check(ctx: RuleContext<Options, MessageIds>): CheckResult;
}): Rule<Options, MessageIds> {
  return rule;
}

/** A rule with its type parameters erased, as the registry and the engine hold it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<any, any>;
