/**
 * The user's show page: their live sessions, read through the resource's hidden `singleSessionSessions` record
 * action (which refuses admins without a single_session permission: then the panel shows nothing).
 */
import React, { useEffect, useState } from 'react';
import { Loader, Text, ValueGroup } from '@adminjs/design-system';
import { ApiClient, useTranslation, type ShowPropertyProps } from 'adminjs';
import SessionsTable, { type Listed } from './SessionsTable.js';

const UserSessions: React.FC<ShowPropertyProps> = ({ property, record, resource }) => {
  const { translateProperty, translateMessage } = useTranslation();
  const [sessions, setSessions] = useState<Listed[] | null | 'failed'>(null);

  useEffect(() => {
    let live = true;
    new ApiClient()
      .recordAction({ resourceId: resource.id, recordId: record!.id, actionName: 'singleSessionSessions' })
      .then((res) => live && setSessions(Array.isArray(res.data?.sessions) ? res.data.sessions : 'failed'))
      .catch(() => live && setSessions('failed'));
    return () => { live = false; };
  }, [resource.id, record?.id]);

  return (
    <ValueGroup label={translateProperty(property.label, resource.id)} data-css="single-session-user-sessions">
      {sessions === null ? <Loader /> : sessions === 'failed'
        ? <Text>{translateMessage('singleSessionSessionsUnavailable', resource.id)}</Text>
        : <SessionsTable sessions={sessions} resourceId={resource.id} />}
    </ValueGroup>
  );
};

export default UserSessions;
