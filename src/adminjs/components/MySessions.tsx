/**
 * "My sessions": the admin's own sessions, "End" on each of the others (never on "this device") and "Log out my
 * other sessions" — requests to this page's handler (`?session=<handle>`: GET previews, POST ends; a bare POST
 * ends the others), which keeps the session in use and answers with the new list and a notice.
 */
import React, { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { Box, Button, H2, Icon, Loader, MessageBox, Text } from '@adminjs/design-system';
import { ApiClient, useNotice, useTranslation } from 'adminjs';
import type { Target } from './Confirmation.js';
import { useEndSession, type EndAnswer } from './EndSession.js';
import SessionsTable, { type Listed } from './SessionsTable.js';

interface PageData {
  linked: boolean;
  sessions: Listed[];
  preview?: Target;
  notice?: Parameters<ReturnType<typeof useNotice>>[0];
  /** An ending refused for an old sign-in: the login page, which returns here. */
  stepUp?: { loginPath: string };
}

const MySessions: React.FC = () => {
  const { pageName = 'mySessions' } = useParams();
  const { translateMessage, translateButton, translatePage } = useTranslation();
  const addNotice = useNotice();
  const [data, setData] = useState<PageData | null>(null);
  const [sending, setSending] = useState(false);

  const request = useCallback(async (method: 'get' | 'post', session?: Listed): Promise<PageData> => {
    const res = await new ApiClient().getPage({ pageName, method, ...(session ? { params: { session: session.id } } : {}) });
    const page = res.data as PageData;
    if (page.stepUp) window.location.assign(page.stepUp.loginPath);
    setData(page);
    return page;
  }, [pageName]);

  const load = useCallback(async (method: 'get' | 'post') => {
    try {
      const page = await request(method);
      if (page.notice) addNotice(page.notice);
    } catch {
      addNotice({ message: translateMessage('singleSessionSessionsUnavailable'), type: 'error' });
    }
  }, [request]);

  useEffect(() => { load('get'); }, [load]);

  const ask = async (session: Listed, method: 'get' | 'post'): Promise<EndAnswer> => {
    const page = await request(method, session);
    return { target: page.preview ?? null, notice: page.notice };
  };
  const ending = useEndSession({ preview: (s) => ask(s, 'get'), end: (s) => ask(s, 'post'), done: () => undefined });

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
          <SessionsTable sessions={data.sessions} onEnd={ending.start} />
          <Box mt="xl">
            <Button variant="contained" color="danger" onClick={logoutOthers} disabled={sending || others === 0} data-testid="single-session-logout-others">
              {sending ? <Icon icon="Loader" spin /> : <Icon icon="LogOut" />}
              {translateButton('singleSessionLogoutOthers')}
            </Button>
          </Box>
        </>
      )}
      {ending.dialog}
    </Box>
  );
};

export default MySessions;
