/**
 * The user's show page: their live sessions, read through the resource's hidden `singleSessionSessions` record
 * action (which refuses admins without a single_session permission: then the panel shows nothing), with "End" on
 * each session where the admin may end it (`singleSessionEndSession`: GET previews, POST ends).
 */
import React, { useCallback, useEffect, useState } from 'react';
import { Loader, Text, ValueGroup } from '@adminjs/design-system';
import { ApiClient, useTranslation, type ShowPropertyProps } from 'adminjs';
import { useEndSession, type EndAnswer } from './EndSession.js';
import SessionsTable, { type Listed } from './SessionsTable.js';

const LIST_ACTION = 'singleSessionSessions';
const END_ACTION = 'singleSessionEndSession';

type Panel = { sessions: Listed[]; canEnd: boolean } | null | 'failed';

const UserSessions: React.FC<ShowPropertyProps> = ({ property, record, resource }) => {
  const { translateProperty, translateMessage } = useTranslation();
  const [panel, setPanel] = useState<Panel>(null);
  const recordId = record!.id;

  const load = useCallback(() => {
    let live = true;
    new ApiClient()
      .recordAction({ resourceId: resource.id, recordId, actionName: LIST_ACTION })
      .then((res) => live && setPanel(Array.isArray(res.data?.sessions) ? { sessions: res.data.sessions, canEnd: res.data.canEnd === true } : 'failed'))
      .catch(() => live && setPanel('failed'));
    return () => { live = false; };
  }, [resource.id, recordId]);
  useEffect(load, [load]);

  const ask = async (session: Listed, method: 'get' | 'post'): Promise<EndAnswer> => {
    const res = await new ApiClient().recordAction({ resourceId: resource.id, recordId, actionName: END_ACTION, method, params: { session: session.id } });
    return { target: method === 'get' && !res.data?.notice ? res.data?.record : null, notice: res.data?.notice };
  };
  const ending = useEndSession({ preview: (s) => ask(s, 'get'), end: (s) => ask(s, 'post'), done: load, resourceId: resource.id });

  return (
    <ValueGroup label={translateProperty(property.label, resource.id)} data-css="single-session-user-sessions">
      {panel === null ? <Loader /> : panel === 'failed'
        ? <Text>{translateMessage('singleSessionSessionsUnavailable', resource.id)}</Text>
        : <SessionsTable sessions={panel.sessions} resourceId={resource.id} onEnd={panel.canEnd ? ending.start : undefined} />}
      {ending.dialog}
    </ValueGroup>
  );
};

export default UserSessions;
