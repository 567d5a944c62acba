/**
 * The audit trail's "by" and "users" columns (list and show): each user by the user resource's title (an email, a
 * name), as the after hook of sessions/audit.ts put them in `record.populated`, instead of AdminJS's "Length: 2" and
 * raw ids. An id that is no user's is shown as it is; users past the ones looked up are counted ("and 3 more").
 * Bundled by AdminJS, so it imports only what AdminJS provides.
 */
import React from 'react';
import { ValueGroup } from '@adminjs/design-system';
import { useTranslation, type BasePropertyProps } from 'adminjs';

interface Named { key: string; id: string; title: string | null }

/** The ids of the property (one, or the array AdminJS flattened to `path.0`, `path.1`, …) with their titles, if looked up. */
function namedIds({ property, record }: BasePropertyProps): { named: Named[]; more: number } {
  const params = record?.params ?? {};
  const populated = (record?.populated ?? {}) as Record<string, { title?: string } | null | undefined>;
  const keys: string[] = [];
  if (property.isArray) for (let i = 0; `${property.path}.${i}` in params; i++) keys.push(`${property.path}.${i}`);
  else if (params[property.path] != null && params[property.path] !== '') keys.push(property.path);
  const named = keys.filter((key) => key in populated).map((key) => ({ key, id: String(params[key]), title: populated[key]?.title ?? null }));
  return { named, more: keys.length - named.length };
}

const UserTitles: React.FC<BasePropertyProps> = (props) => {
  const { property, where } = props;
  const { translateMessage, translateProperty } = useTranslation();
  const { named, more } = namedIds(props);
  const text = [
    ...named.map((n) => n.title ?? n.id),
    ...(more > 0 ? [translateMessage('singleSessionMoreUsers', property.resourceId, { count: more })] : []),
  ].join(', ');
  const shown = <span data-testid={`single-session-users-${property.path}`} title={named.map((n) => n.id).join(', ')}>{text || '—'}</span>;
  if (where !== 'show') return shown;
  return <ValueGroup label={translateProperty(property.label, property.resourceId)}>{shown}</ValueGroup>;
};

export default UserTitles;
