/**
 * The Sessions page's list at a million sessions. AdminJS's own list action does the rest (paging, the default
 * sort, the filter panel's user lookup, the user column); two things change, through the resource it is handed:
 *
 * - the rows: the filters become one condition on the view's model, written here, so that each has an index
 *   (migration 20261130000000): the IP address matches from its start (`10.1.` finds a subnet; a b-tree serves it),
 *   browser, OS and device contain the text, the user is that user, dates are a range; the order gets the handle
 *   as a tie-breaker, so pages never repeat or skip a row among sessions seen in the same second;
 * - the total: counted up to `exactCountUpTo`, past that the database's estimate (`singleSession.countActiveSessions`,
 *   which on PostgreSQL answers an estimate far past the limit without counting), instead of counting every live
 *   session on every click; a page that is not full is the end of the list, and gives the total without a count.
 *   The answer says when the total is an estimate (`meta.totalEstimated`), and so does the page (the SessionsList
 *   component, which reads the limit from the action's `custom`).
 */
import { ACTIONS, BaseRecord, type Action, type ActionResponse, type BaseResource, type Filter } from 'adminjs';
import { Op, type WhereOptions } from 'sequelize';
import type { ActiveSessionRow } from '../../models/index.js';
import type { SessionCount, SingleSession } from '../../single-session.js';
import { COMPONENTS } from '../components.js';

/** Escapes LIKE's wildcards, so a filter value is matched as typed. */
const literally = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

type Condition = (value: unknown) => WhereOptions<ActiveSessionRow>;
const contains = (column: keyof ActiveSessionRow): Condition => (v) => ({ [column]: { [Op.like]: `%${literally(String(v))}%` } });
const range = (column: keyof ActiveSessionRow): Condition => (v) => {
  const { from, to } = (v ?? {}) as { from?: string; to?: string };
  return { [column]: { ...(from ? { [Op.gte]: from } : {}), ...(to ? { [Op.lte]: to } : {}) } };
};
const equals = (column: keyof ActiveSessionRow): Condition => (v) => ({ [column]: String(v) });

/** Each filterable column of the view and what its filter means. */
const CONDITIONS: Record<string, Condition> = {
  id: equals('id'),
  userId: equals('userId'),
  // From the start of the address (an index range); an IPv4 prefix also finds the IPv4-mapped form a dual-stack
  // server stores (`::ffff:127.0.0.1`), which the pages show as plain IPv4 (display.ts).
  ip: (v) => {
    const prefix = literally(String(v));
    return /^[\d.]+$/.test(String(v))
      ? { ip: { [Op.or]: [{ [Op.like]: `${prefix}%` }, { [Op.like]: `::ffff:${prefix}%` }] } }
      : { ip: { [Op.like]: `${prefix}%` } };
  },
  browser: contains('browser'),
  os: contains('os'),
  device: contains('device'),
  userAgent: contains('userAgent'),
  createdAt: range('createdAt'),
  lastSeenAt: range('lastSeenAt'),
  expires: range('expires'),
};

/**
 * AdminJS's filter as one condition on the view: one key per column, so the model's guard sees `id` and `userId`
 * (an impossible id matches nothing instead of reaching the database).
 */
export function sessionsWhere(filter: Filter | undefined): WhereOptions<ActiveSessionRow> {
  return Object.assign({}, ...Object.values(filter?.filters ?? {})
    .filter(({ property, value }) => property && value !== undefined && value !== '' && Object.hasOwn(CONDITIONS, property.name()))
    .map(({ property, value }) => CONDITIONS[property.name()]!(value)));
}

/** The columns the list sorts on: each has an index (the handle is every order's tie-breaker). */
export const SORTABLE = ['lastSeenAt', 'createdAt', 'userId', 'expires'] as const;
const DEFAULT_SORT = 'lastSeenAt';

export interface ListOptions {
  singleSession: SingleSession;
  /** Up to how many sessions the total is counted exactly. */
  exactCountUpTo: number;
}

/** The list action's handler, component and settings (merged into the resource's `list` action). */
export function sessionsListAction({ singleSession, exactCountUpTo }: ListOptions): Partial<Action<ActionResponse>> {
  const model = singleSession.models.ActiveSession;
  return {
    component: COMPONENTS.sessionsList.name,
    custom: { exactCountUpTo },
    handler: async (request, response, context) => {
      const own = context.resource;
      let counted: SessionCount | undefined;
      // AdminJS finds the page, then counts. A page that is not full ends the list: its total is known without a count.
      let endOfList: number | undefined;
      const resource: BaseResource = Object.create(own, {
        find: {
          value: async (filter: Filter, { limit, offset = 0, sort }: { limit?: number; offset?: number; sort?: { sortBy?: string; direction?: string } }) => {
            const direction = sort?.direction === 'desc' ? 'DESC' : 'ASC';
            // Without the request guard AdminJS passes any column: an unindexed one gets the default order instead.
            const column = (SORTABLE as readonly string[]).includes(sort?.sortBy ?? '') ? sort!.sortBy! : DEFAULT_SORT;
            const rows = await model.findAll({ where: sessionsWhere(filter), limit, offset, order: [[column, direction], ['id', direction]] });
            // Past the last page (no rows) says nothing of the total; above the exact limit the page says "estimate".
            const known = limit !== undefined && rows.length < limit && (rows.length > 0 || offset === 0);
            endOfList = known && offset + rows.length <= exactCountUpTo ? offset + rows.length : undefined;
            return rows.map((row) => new BaseRecord(row.toJSON(), own));
          },
        },
        count: {
          value: async (filter: Filter) => {
            counted = endOfList !== undefined
              ? { total: endOfList, estimated: false }
              : await singleSession.countActiveSessions(sessionsWhere(filter), { exactUpTo: exactCountUpTo });
            return counted.total;
          },
        },
      });
      const answer = await ACTIONS.list.handler(request, response, { ...context, resource });
      return { ...answer, meta: { ...answer.meta, totalEstimated: counted?.estimated ?? false } };
    },
  };
}
