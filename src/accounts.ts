/**
 * Sessions follow the account (ASVS 5.0, 7.4.2): hooks on the host's user model, installed by the engine on
 * `userModel`, so that every change made through Sequelize — AdminJS's `edit`, `delete` and `bulkDelete`, the host's
 * own `save`, `update`, `destroy` — ends the sessions of a user who is deleted or becomes inactive. Raw SQL passes no
 * hook: the host then calls `endUserSessions(ids, { reason: 'account' })` (docs/account-changes.md).
 *
 * Why hooks the engine installs, rather than a call the host must remember: a forgotten call is a deleted account
 * whose sessions live on, and nothing would show it. The hooks are named, so `close()` (or a newer engine on the
 * same model) takes them off again.
 */
import type { Model, ModelStatic, Transaction } from 'sequelize';

const HOOK_NAME = 'adminjs-single-session';
const HOOKS = ['beforeBulkDestroy', 'beforeDestroy', 'beforeBulkUpdate', 'afterUpdate'] as const;

type Options = { transaction?: Transaction | null; individualHooks?: boolean };

export interface AccountFollowing {
  /** When a user counts as active; without it only deletions are followed. */
  isActive?: ((user: Model) => boolean | Promise<boolean>) | undefined;
  /** Ends every session of the user (reason `account`), inside `transaction` when one is given. */
  end(userId: string | number, transaction: Transaction | null): Promise<unknown>;
  /** A failure after the host's commit, which no caller can be told of any more. */
  report(error: unknown): void;
}

/** Installs the hooks on `model` (replacing those of an earlier engine); returns the function that removes them. */
export function followAccounts(model: ModelStatic<Model>, { isActive, end, report }: AccountFollowing): () => void {
  const idOf = (user: Model) => user.get(model.primaryKeyAttribute) as string | number;
  const remove = () => {
    for (const hook of HOOKS) model.removeHook(hook, HOOK_NAME);
  };
  remove();
  // A bulk destroy or update runs the per-user hooks below (Sequelize loads the matching users first): a user table
  // is small next to its sessions, and only the per-user hooks know whose sessions to end.
  const perUser = (options: Options) => {
    options.individualHooks = true;
  };
  model.addHook('beforeBulkDestroy', HOOK_NAME, perUser);
  // Before the DELETE: the foreign key takes the links with the user, and with them the way to its sessions. Inside
  // the host's transaction, when there is one: a rollback keeps the user and its sessions alike.
  model.addHook('beforeDestroy', HOOK_NAME, async (user: Model, options: Options) => {
    await end(idOf(user), options.transaction ?? null);
  });
  if (isActive) {
    model.addHook('beforeBulkUpdate', HOOK_NAME, perUser);
    model.addHook('afterUpdate', HOOK_NAME, async (user: Model, options: Options) => {
      if (await isActive(user)) return;
      // After the commit: a login that starts before it still reads the user as active, and must find its new
      // session among those ended (the login also checks again once it is committed, see the engine).
      const transaction = options.transaction;
      if (transaction) transaction.afterCommit(() => end(idOf(user), null).then(() => undefined, report));
      else await end(idOf(user), null);
    });
  }
  return remove;
}
