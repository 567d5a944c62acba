/**
 * `stepUpFeature({ singleSession, actions })`: the step-up of this package's own actions (step-up.ts) put on any
 * action of a resource — AdminJS's stock `new`, `edit`, `delete`, `bulkDelete` or the host's own. A stale admin
 * session could otherwise do through them what the package's actions refuse (delete a user, set their password hash
 * and sign in as them). The wrapped handler refuses, on the server, GET and POST alike, before the action's own
 * handler runs: nothing is read or changed, the answer says "sign in again to continue" (`stepUp.loginPath`) and the
 * login returns to the action's page. With the limit off (`freshAgeMs: false`) the actions are left as they were.
 *
 *   features: [singleSessionFeature({ singleSession }), stepUpFeature({ singleSession, actions: ['new', 'edit', 'delete', 'bulkDelete'] })]
 */
import type { Request } from 'express';
import { ACTIONS as STOCK_ACTIONS, type Action, type ActionContext, type ActionHandler, type ActionResponse, type FeatureType, type ResourceOptions } from 'adminjs';
import { leanRecord } from './confirm.js';
import { adminMessages as m, fail, NOTICES } from './errors.js';
import { checkOptions, type CommonOptions } from './options.js';
import { askToSignInAgain, needsFreshSignIn } from './step-up.js';

/** Options of `stepUpFeature`. */
export interface StepUpFeatureOptions extends Omit<CommonOptions, 'can' | 'componentLoader'> {
  /** The names of the actions that need a recent sign-in, e.g. `['new', 'edit', 'delete', 'bulkDelete']`. */
  actions: readonly string[];
  /** How recent (ms). Default: the engine's `freshAgeMs` (off when that is off). */
  freshAgeMs?: number;
}

/** The answer to a stale sign-in: no record's values (a lean record), the notice, where to sign in again. */
function refusal(req: Request, context: ActionContext): ActionResponse {
  const { record, records } = context;
  return {
    ...(record ? { record: leanRecord(record) } : {}),
    records: (records ?? []).map(leanRecord),
    notice: { message: NOTICES.signInAgain, type: 'error' },
    ...askToSignInAgain(req, context),
  };
}

/** A feature that gives the named actions of a resource the step-up check. Put it after the features that set handlers. */
export function stepUpFeature(options: StepUpFeatureOptions): FeatureType {
  const { singleSession, actions, freshAgeMs = singleSession?.freshAgeMs } = checkOptions('stepUpFeature', options, ['actions', 'freshAgeMs']);
  return (_admin, previous: ResourceOptions = {}) => {
    if (freshAgeMs === false) return previous;
    const wrapped = { ...previous.actions } as Record<string, Partial<Action<ActionResponse>>>;
    for (const name of actions) {
      const action = wrapped[name] ?? {};
      const inner = (action.handler ?? (STOCK_ACTIONS as Record<string, Partial<Action<ActionResponse>>>)[name]?.handler) as ActionHandler<ActionResponse> | undefined;
      if (typeof inner !== 'function') return fail(m.stepUpWithoutHandler(name));
      wrapped[name] = {
        ...action,
        handler: (request, response, context) => (needsFreshSignIn(singleSession, request as unknown as Request, freshAgeMs)
          ? refusal(request as unknown as Request, context)
          : inner(request, response, context)),
      };
    }
    return { ...previous, actions: wrapped };
  };
}
