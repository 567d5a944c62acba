/**
 * English. The key set here is the reference: every other language translates every key (checked by the type).
 * Four parts: `feature` and `pages` are global keys (merged into the AdminJS locale); `sessionsResource` and
 * `auditResource` are resource-scoped (they rename properties and reword the shared confirmation page).
 */
export const en = {
  /** The User feature: its actions, confirmation page, notices, and the login page's messages (global keys). */
  feature: {
    actions: {
      logoutUserOnAllSessions: 'Log out the user on all sessions',
      logoutAllUsersOnAllSessions: 'Log out the (admin) user on all sessions',
      logoutOnAllSessions: 'Log out on all sessions',
    },
    buttons: {
      singleSessionConfirm: 'Log out on all sessions',
    },
    messages: {
      // confirmation page
      singleSessionConfirmIntro: 'The selected users will be logged out on all their sessions:',
      singleSessionRecordIntro: '{{title}} will be logged out on all sessions.',
      singleSessionColumnUser: 'User',
      singleSessionColumnOutcome: 'What happens',
      singleSessionAdminBadge: 'admin',
      singleSessionYouBadge: 'you',
      singleSessionOutcomeLogout: 'will be logged out everywhere',
      singleSessionOutcomeSkippedAdmin: 'skipped: admin user (only “Log out the (admin) user on all sessions” touches admins)',
      singleSessionOutcomeForbidden: 'not allowed: this is an admin user and you lack the permission {{permission}}',
      singleSessionSelfWarning: 'You are among the selected users: your other sessions will end, the one you are using now is kept.',
      singleSessionNothingToDo: 'Every selected user is skipped: confirming changes nothing.',
      // notices
      singleSessionDone: 'Sessions ended: {{sessions}}. Users logged out: {{users}}. Users skipped: {{skipped}}.',
      singleSessionDoneKeptOwn:
        'Sessions ended: {{sessions}}. Users logged out: {{users}}. Users skipped: {{skipped}}. Your current session was kept; your other sessions ended.',
      singleSessionNothingDone: 'Nothing was changed: all {{skipped}} selected users are admin users, whom this action skips.',
      singleSessionForbidden: 'You may not do this: it needs the permission {{permission}}. Nothing was changed.',
      singleSessionUnknownRecords: 'Some selected records do not exist: {{ids}}. Nothing was changed.',
      singleSessionInvalidIds: 'The selection contains an invalid id: {{id}}. Nothing was changed.',
      singleSessionTooManyIds: 'Too many records selected: at most {{max}} at once, got {{count}}. Nothing was changed.',
      singleSessionEmptySelection: 'No records selected. Nothing was changed.',
      singleSessionUnknownResource: 'There is no resource “{{resourceId}}”.',
      singleSessionUnknownAction: 'Resource “{{resourceId}}” has no {{actionType}} action “{{actionName}}”.',
      singleSessionRequestFailed: 'The request failed on the server. Please retry.',
      // login page (src/integrations/adminjs.ts, src/errors.ts)
      singleSessionEndedGeneric: 'You were signed out.',
      singleSessionLiveGoingToLogin: 'Taking you to the sign-in page…',
      singleSessionEndedReplaced: 'You were signed out because your account signed in on another device.',
      singleSessionEndedRevoked: 'You were signed out by an administrator.',
      singleSessionEndedIdle: 'You were signed out because you were inactive for too long. Please sign in again.',
      singleSessionEndedLifetime: 'You were signed out because your sign-in reached its maximum duration. Please sign in again.',
      singleSessionEndedLogout: 'You were signed out because you signed out on another device, or ended your other sessions there.',
      singleSessionEndedCredentials: 'You were signed out because your password was changed. Please sign in with the new password.',
      singleSessionEndedAccount: 'You were signed out because your account was disabled or deleted.',
      singleSessionAccountDisabled: 'This account is disabled. Ask an administrator to enable it.',
      singleSessionLoginDenied: 'This account is already signed in on the maximum number of devices. Sign out on one of them first.',
      singleSessionLoginFailed: 'The sign-in could not be completed because of a problem on the server. Please try again later.',
      // the request guard: query parameters refused before AdminJS reads them
      singleSessionRepeatedParameter: 'The parameter “{{name}}” must be given once, as a single value. Nothing was changed.',
      singleSessionBadParameter: 'The parameter “{{name}}” cannot be “{{value}}”. Nothing was changed.',
      singleSessionBadFilter: 'You cannot filter or search on “{{field}}”: only on the fields of the filter panel.',
      singleSessionBadSort: 'You cannot sort on “{{field}}”: only on the columns of the list.',
      singleSessionBadQuery: 'The list could not be read with these parameters (a value of the wrong form). Nothing was changed.',
      singleSessionColumnSessions: 'Sessions ending',
      singleSessionOutcomeNoSession: 'no active session: nothing to end',
      singleSessionNoSessionsToEnd: 'None of the selected users has an active session: confirming ends nothing.',
      singleSessionTotal: 'Sessions that will end: {{sessions}}. Users: {{users}}.',
      // issue 11: security by default
      singleSessionPostOnly: 'This action must be sent as a POST. Nothing was changed.',
      singleSessionSignInAgain: 'For this action your sign-in must be recent: sign in again to continue. Nothing was changed.',
    },
  },
  /**
   * The session pages' global keys (the "My sessions" page belongs to no resource, so its texts must be global);
   * names that cannot clash with a host's.
   */
  pages: {
    actions: {
      endSession: 'End this session',
      endSessions: 'End the selected sessions',
    },
    buttons: {
      singleSessionLogoutOthers: 'Log out my other sessions',
      singleSessionEnd: 'End',
      singleSessionEndSession: 'End this session',
      singleSessionCancel: 'Cancel',
      singleSessionRefresh: 'Refresh',
    },
    labels: {
      ActiveSessions: 'Sessions',
      SessionAuditEvents: 'Session audit',
      // the menu group of the Sessions and audit resources (their default `navigation`)
      Sessions: 'Sessions',
    },
    pages: {
      mySessions: 'My sessions',
      sessionsDashboard: 'Sessions dashboard',
    },
    properties: {
      singleSessionSessions: 'Active sessions',
    },
    messages: {
      singleSessionSessionsDone: 'Sessions ended: {{sessions}}. Users: {{users}}.',
      singleSessionSessionsDoneKeptOwn: 'Sessions ended: {{sessions}}. Users: {{users}}. The session you are using now was kept.',
      singleSessionColumnDevice: 'Device',
      singleSessionColumnIp: 'IP address',
      singleSessionColumnCreated: 'Signed in',
      singleSessionColumnLastSeen: 'Last seen',
      singleSessionThisDevice: 'this device',
      singleSessionUnknownDevice: 'unknown device',
      singleSessionNoSessions: 'No active sessions.',
      singleSessionMySessionsIntro: 'Your account is signed in on these devices. Log out the others if you do not recognise them or no longer use them.',
      singleSessionOthersEnded: 'Your other sessions ended: {{sessions}}. This one was kept.',
      singleSessionNoOtherSessions: 'You have no other sessions: nothing was changed.',
      singleSessionNotLinked: 'This sign-in is not linked to a user account, so there are no sessions to show.',
      singleSessionSessionsUnavailable: 'The sessions could not be loaded.',
      singleSessionBadUserFilter: 'There is no user with the id “{{id}}”.',
      singleSessionEndOneIntro: 'This session will end; its browser will be signed out:',
      singleSessionColumnSession: 'Session',
      singleSessionOutcomeEnd: 'will end',
      singleSessionOutcomeKept: 'kept: this is the session you are using now',
      singleSessionSessionGone: 'This session has ended already, or it is not one of this user’s sessions. Nothing was changed.',
      singleSessionCurrentSession: 'This is the session you are using now: sign out to end it. Nothing was changed.',
      singleSessionDashboardTitle: 'Sessions',
      singleSessionDashboardAsOf: 'Updated:',
      singleSessionDashboardActive: 'Active sessions',
      singleSessionDashboardUsers: 'Signed-in users',
      singleSessionDashboardSignIns: 'Sign-ins, last {{hours}} hours',
      singleSessionDashboardEnded: 'Sessions ended, last {{hours}} hours',
      singleSessionDashboardPerHour: 'Sign-ins and endings per hour, last {{hours}} hours',
      singleSessionDashboardSignInsSeries: 'sign-ins',
      singleSessionReasonReplaced: 'replaced by a newer sign-in',
      singleSessionReasonLimit: 'over the session limit',
      singleSessionReasonRevoked: 'ended by an administrator',
      singleSessionReasonLogout: 'logged out',
      singleSessionReasonExpired: 'expired',
      singleSessionReasonIdle: 'idle too long',
      singleSessionReasonLifetime: 'lifetime reached',
      singleSessionReasonCredentials: 'password changed',
      singleSessionReasonAccount: 'account disabled or deleted',
      singleSessionDashboardNeedsAudit: 'Sign-ins and endings per hour come from the audit trail, which is off: create the engine with audit: true to record them.',
      singleSessionDashboardBrowsers: 'Browsers',
      singleSessionDashboardDevices: 'Devices',
      singleSessionDashboardSystems: 'Operating systems',
      singleSessionDashboardShare: 'Share',
      singleSessionDashboardUnknown: 'unknown',
      singleSessionDashboardSampled: 'Shares estimated from a random sample of {{sessions}} live sessions.',
      singleSessionDashboardForbidden: 'The sessions dashboard needs the permission single_session.logout or single_session.logout_all.',
      singleSessionDashboardUnavailable: 'The dashboard could not be loaded.',
    },
  },
  sessionsResource: {
    buttons: {
      singleSessionConfirm: 'End sessions',
    },
    messages: {
      singleSessionConfirmIntro: 'The selected sessions will end; their browsers will be signed out:',
      singleSessionRecordIntro: 'The session {{title}} will end; its browser will be signed out.',
      singleSessionColumnUser: 'Session',
      singleSessionOutcomeLogout: 'will end',
      singleSessionOutcomeForbidden: 'not allowed: this is an admin user’s session and you lack the permission {{permission}}',
      singleSessionSelfWarning: 'The session you are using now is among the selected: it is kept, the others end.',
      singleSessionNothingToDo: 'None of the selected sessions can be ended.',
      singleSessionYouBadge: 'current session',
      singleSessionNoSessionsToEnd: 'No session will end: the only one selected is the one you are using.',
      singleSessionTotalEstimated:
        'About {{total}} sessions: an estimate by the database, and so is the number of pages. Sessions are counted exactly up to {{exactUpTo}}; a filter narrows the list.',
    },
    properties: {
      id: 'Handle',
      userId: 'User',
      device: 'Device',
      browser: 'Browser',
      os: 'Operating system',
      ip: 'IP address',
      userAgent: 'User agent',
      createdAt: 'Signed in',
      lastSeenAt: 'Last seen',
      expires: 'Expires',
    },
  },
  auditResource: {
    properties: {
      id: 'ID',
      at: 'When',
      reason: 'Reason',
      actorId: 'By',
      userIds: 'Users',
      sessionCount: 'Sessions',
    },
    messages: {
      // the users of an event past the ones named (a bulk logout may end thousands)
      singleSessionMoreUsers: 'and {{count}} more',
    },
  },
};

/** Every language translates every key of every part (checked by this type). */
export type SingleSessionTexts = {
  [Part in keyof typeof en]: { [Block in keyof (typeof en)[Part]]: { [Key in keyof (typeof en)[Part][Block]]: string } }
};
