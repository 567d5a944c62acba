import type { SingleSessionTranslations } from './en.js';

/** Dutch (django-single-session ships Dutch). */
export const nl: SingleSessionTranslations = {
  actions: {
    logoutUserOnAllSessions: 'Gebruiker op alle sessies uitloggen',
    logoutAllUsersOnAllSessions: '(Admin-)gebruiker op alle sessies uitloggen',
    logoutOnAllSessions: 'Op alle sessies uitloggen',
  },
  buttons: {
    singleSessionConfirm: 'Op alle sessies uitloggen',
  },
  messages: {
    singleSessionConfirmIntro: 'De geselecteerde gebruikers worden op al hun sessies uitgelogd:',
    singleSessionRecordIntro: '{{title}} wordt op alle sessies uitgelogd.',
    singleSessionColumnUser: 'Gebruiker',
    singleSessionColumnOutcome: 'Wat er gebeurt',
    singleSessionAdminBadge: 'admin',
    singleSessionYouBadge: 'u',
    singleSessionOutcomeLogout: 'wordt overal uitgelogd',
    singleSessionOutcomeSkippedAdmin: 'overgeslagen: admin-gebruiker (alleen “(Admin-)gebruiker op alle sessies uitloggen” raakt admins)',
    singleSessionOutcomeForbidden: 'niet toegestaan: dit is een admin-gebruiker en u mist de permissie {{permission}}',
    singleSessionSelfWarning: 'U staat zelf tussen de geselecteerde gebruikers: uw andere sessies worden beëindigd, de sessie die u nu gebruikt blijft behouden.',
    singleSessionNothingToDo: 'Alle geselecteerde gebruikers worden overgeslagen: bevestigen verandert niets.',
    singleSessionDone: 'Beëindigde sessies: {{sessions}}. Uitgelogde gebruikers: {{users}}. Overgeslagen gebruikers: {{skipped}}.',
    singleSessionDoneKeptOwn:
      'Beëindigde sessies: {{sessions}}. Uitgelogde gebruikers: {{users}}. Overgeslagen gebruikers: {{skipped}}. Uw huidige sessie is behouden; uw andere sessies zijn beëindigd.',
    singleSessionNothingDone: 'Er is niets gewijzigd: alle {{skipped}} geselecteerde gebruikers zijn admin-gebruikers, die deze actie overslaat.',
    singleSessionForbidden: 'Dit mag u niet doen: er is de permissie {{permission}} voor nodig. Er is niets gewijzigd.',
    singleSessionUnknownRecords: 'Sommige geselecteerde records bestaan niet: {{ids}}. Er is niets gewijzigd.',
    singleSessionInvalidIds: 'De selectie bevat een ongeldige id: {{id}}. Er is niets gewijzigd.',
    singleSessionTooManyIds: 'Te veel records geselecteerd: hoogstens {{max}} tegelijk, ontvangen {{count}}. Er is niets gewijzigd.',
    singleSessionEmptySelection: 'Geen records geselecteerd. Er is niets gewijzigd.',
    singleSessionUnknownResource: 'Er is geen resource “{{resourceId}}”.',
    singleSessionUnknownAction: 'Resource “{{resourceId}}” heeft geen {{actionType}}-actie “{{actionName}}”.',
    singleSessionRequestFailed: 'Het verzoek is op de server mislukt. Probeer het opnieuw.',
    singleSessionEndedReplaced: 'U bent uitgelogd omdat uw account op een ander apparaat is ingelogd.',
    singleSessionEndedRevoked: 'U bent uitgelogd door een beheerder.',
    singleSessionLoginDenied: 'Dit account is al op het maximale aantal apparaten ingelogd. Log eerst op een daarvan uit.',
  },
};
