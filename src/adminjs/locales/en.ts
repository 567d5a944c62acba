/** English. The key set here is the reference: every other language must translate every key (checked by the type). */
export const en = {
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
    singleSessionEndedReplaced: 'You were signed out because your account signed in on another device.',
    singleSessionEndedRevoked: 'You were signed out by an administrator.',
    singleSessionLoginDenied: 'This account is already signed in on the maximum number of devices. Sign out on one of them first.',
  },
};

export type SingleSessionTranslations = { [Block in keyof typeof en]: { [Key in keyof (typeof en)[Block]]: string } };
