/**
 * "My sessions": the admin's own sessions and "Log out my other sessions" (a POST to this page's handler, which
 * keeps the session in use and answers with the new list and a notice).
 */
import React, { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { Box, Button, H2, Icon, Loader, MessageBox, Text } from '@adminjs/design-system';
import { ApiClient, useNotice, useTranslation } from 'adminjs';
import SessionsTable, { type Listed } from './SessionsTable.js';

interface PageData {
  linked: boolean;
  sessions: Listed[];
  notice?: Parameters<ReturnType<typeof useNotice>>[0];
}

const MySessions: React.FC = () => {
  const { pageName = 'mySessions' } = useParams();
  const { translateMessage, translateButton, translatePage } = useTranslation();
  const addNotice = useNotice();
  const [data, setData] = useState<PageData | null>(null);
  const [sending, setSending] = useState(false);

  const load = useCallback(async (method: 'get' | 'post') => {
    try {
      const res = await new ApiClient().getPage({ pageName, method });
      const page = res.data as PageData;
      setData(page);
      if (page.notice) addNotice(page.notice);
    } catch {
      addNotice({ message: translateMessage('singleSessionSessionsUnavailable'), type: 'error' });
    }
  }, [pageName]);

  useEffect(() => { load('get'); }, [load]);

  const logoutOthers = async () => {
    setSending(true);
    await load('post');
    setSending(false);
  };

  const others = data?.sessions.filter((s) => !s.current).length ?? 0;
  return (
    <Box variant="container" data-css="single-session-my-sessions">
      <H2>{translatePage(pageName)}</H2>
      {data === null ? <Loader /> : !data.linked ? <MessageBox variant="info" message={translateMessage('singleSessionNotLinked')} /> : (
        <>
          <Text mb="lg">{translateMessage('singleSessionMySessionsIntro')}</Text>
          <SessionsTable sessions={data.sessions} />
          <Box mt="xl">
            <Button variant="contained" color="danger" onClick={logoutOthers} disabled={sending || others === 0} data-testid="single-session-logout-others">
              {sending ? <Icon icon="Loader" spin /> : <Icon icon="LogOut" />}
              {translateButton('singleSessionLogoutOthers')}
            </Button>
          </Box>
        </>
      )}
    </Box>
  );
};

export default MySessions;
