/**
 * What an AdminJS API request asks for in its query string — ids, filters, sort, paging, the search property —
 * checked before AdminJS reads it. AdminJS filters and sorts on any column the adapter knows, shown or hidden: with
 * `filters.passwordHash=$2b$10$abc` a `LIKE` on the hash answered "1 record" or "0 records", an oracle that reads a
 * bcrypt hash out character by character. Here a filter (or `searchProperty`) must name a property the resource
 * shows in its filter panel, a sort a sortable column of its list; ids and filter values must fit their column, and
 * every parameter AdminJS reads must be given once. Filters are read the way AdminJS reads them — `filters.x`,
 * `filters[x]`, `filters.x~~from` — so no spelling slips past.
 */
import type { BaseResource } from 'adminjs';
import type { SingleSession } from '../single-session.js';
import { ACTIONS } from './actions.js';
import { NOTICES, type NoticeKey } from './errors.js';

type Property = ReturnType<ReturnType<BaseResource['decorate']>['getListProperties']>[number];

/** Why a request is refused: the notice and its values (always a 400). */
export interface Refusal {
  key: NoticeKey;
  options: Record<string, unknown>;
}

/** The query parameters AdminJS reads as single values. */
const SCALARS = ['recordIds', 'sortBy', 'direction', 'page', 'perPage', 'searchProperty'] as const;
/** AdminJS's list clamps `perPage` to 500; its search does not. */
const MAX_PER_PAGE = 500;
const INT32 = 2n ** 31n;
const INT64 = 2n ** 63n;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A value as a notice quotes it: short. */
export const quote = (value: string) => (value.length > 40 ? `${value.slice(0, 40)}…` : value);

/** The Sequelize column type behind an @adminjs/sequelize property (INTEGER, BIGINT, …), if any. */
function columnType(property: Property): string | undefined {
  return (property as unknown as { property?: { sequelizePath?: { type?: { key?: string } } } }).property?.sequelizePath?.type?.key;
}

/** A check for numbers of this property's column: integers within its range, or any finite number. */
function numberCheck(property: Property): (value: string) => boolean {
  const key = columnType(property);
  const range = key === 'INTEGER' ? INT32 : key === 'BIGINT' ? INT64 : null;
  if (range) return (v) => /^-?\d{1,19}$/.test(v) && BigInt(v) < range && BigInt(v) >= -range;
  if (property.type() === 'number' && key !== 'FLOAT' && key !== 'DOUBLE' && key !== 'DECIMAL' && key !== 'REAL') {
    return (v) => /^-?\d{1,19}$/.test(v) && BigInt(v) < INT64 && BigInt(v) >= -INT64;
  }
  return (v) => /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(v) && Number.isFinite(Number(v));
}

/** An id check for the resource's primary key, or null if anything goes (text keys). */
export function idCheck(resource: BaseResource, singleSession: SingleSession): ((id: string) => boolean) | null {
  const decorated = resource.decorate();
  // The user resource carrying the feature: the engine knows the exact key type (integer, bigint, uuid, text).
  if (ACTIONS.logoutUsers in decorated.actions) return (id) => singleSession.isUserId(id);
  const key = Object.values(decorated.properties).find((p) => p.isId());
  if (!key) return null;
  if (['number', 'float'].includes(key.type())) return numberCheck(key);
  return key.type() === 'uuid' ? (id) => UUID.test(id) : null;
}

/** What a filter on this property may hold, or null if any text goes. */
function valueCheck(resource: BaseResource, property: Property, singleSession: SingleSession): ((value: string) => boolean) | null {
  const referenced = property.reference();
  if (referenced) return idCheck(referenced, singleSession);
  if (property.isId()) return idCheck(resource, singleSession);
  switch (property.type()) {
    case 'number':
    case 'float':
    case 'currency':
      return numberCheck(property);
    case 'date':
    case 'datetime':
      return (v) => !Number.isNaN(Date.parse(v));
    case 'boolean':
      return (v) => v === 'true' || v === 'false';
    case 'uuid':
      return (v) => UUID.test(v);
    default:
      return null;
  }
}

/**
 * The filters of a query as AdminJS will see them: `[key, value]` pairs with the key after `filters.`, from the
 * dotted spelling (`filters.email=…`, Express keeps it as one key) and the bracketed one (`filters[email]=…`,
 * nested by the query parser). A repeated key appears twice; an array or object value is left for the check to refuse.
 */
export function readFilters(query: Record<string, unknown> | undefined): Array<[string, unknown]> {
  const entries: Array<[string, unknown]> = [];
  const walk = (prefix: string, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) walk(`${prefix}.${key}`, inner);
    } else {
      entries.push([prefix, value]);
    }
  };
  for (const [key, value] of Object.entries(query ?? {})) {
    if (key === 'filters') walk('', value);
    else if (key.startsWith('filters.')) walk(`.${key.slice('filters.'.length)}`, value);
  }
  return entries.map(([key, value]) => [key.slice(1), value]);
}

/** The filter-panel property a filter path names (`email`, or `tags.0` for an array), or undefined. */
function filterProperty(filterable: Property[], path: string): Property | undefined {
  return filterable.find((p) => p.propertyPath === path || (p.isArray() && new RegExp(`^${escape(p.propertyPath)}\\.\\d+$`).test(path)));
}
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Checks the query of an API request to `resource` (before AdminJS runs the action); returns why it is refused,
 * or null. `recordIds` is only checked to be one value here: the ids themselves are the guard's.
 */
export function checkQuery(resource: BaseResource, query: Record<string, unknown>, singleSession: SingleSession): Refusal | null {
  for (const name of SCALARS) {
    if (query[name] !== undefined && typeof query[name] !== 'string') return { key: NOTICES.repeatedParameter, options: { name } };
  }
  const { sortBy, direction, page, perPage, searchProperty } = query as Partial<Record<(typeof SCALARS)[number], string>>;
  const bad = (name: string, value: string): Refusal => ({ key: NOTICES.badParameter, options: { name, value: quote(value) } });
  if (page !== undefined && !/^[1-9]\d{0,8}$/.test(page)) return bad('page', page);
  if (perPage !== undefined && !(/^[1-9]\d{0,2}$/.test(perPage) && Number(perPage) <= MAX_PER_PAGE)) return bad('perPage', perPage);
  if (direction !== undefined && direction !== 'asc' && direction !== 'desc') return bad('direction', direction);

  const decorated = resource.decorate();
  const title = decorated.titleProperty()?.name();
  if (sortBy !== undefined) {
    const sortable = decorated.getListProperties().filter((p) => p.isSortable()).map((p) => p.propertyPath);
    // The resource's own default sort and the search's (the title) are the host's choice, shown or not.
    if (!sortable.includes(sortBy) && sortBy !== decorated.options.sort?.sortBy && sortBy !== title) {
      return { key: NOTICES.badSort, options: { field: quote(sortBy) } };
    }
  }
  const filterable = decorated.getProperties({ where: 'filter' });
  if (searchProperty !== undefined && searchProperty !== title && !filterProperty(filterable, searchProperty)) {
    return { key: NOTICES.badFilter, options: { field: quote(searchProperty) } };
  }

  const seen = new Set<string>();
  for (const [key, value] of readFilters(query)) {
    const [path = '', bound, ...rest] = key.split('~~');
    if (seen.has(key) || typeof value !== 'string') return { key: NOTICES.repeatedParameter, options: { name: `filters.${quote(key)}` } };
    seen.add(key);
    const property = filterProperty(filterable, path);
    const isDate = property && ['date', 'datetime'].includes(property.type());
    if (!property || rest.length > 0 || (bound !== undefined && !(isDate && (bound === 'from' || bound === 'to')))) {
      return { key: NOTICES.badFilter, options: { field: quote(key) } };
    }
    const valid = valueCheck(resource, property, singleSession);
    if (valid && !valid(value)) return bad(`filters.${key}`, value);
  }
  return null;
}
