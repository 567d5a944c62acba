import type { SingleSessionTranslations } from './en.js';

/** Polish. */
export const pl: SingleSessionTranslations = {
  actions: {
    logoutUserOnAllSessions: 'Wyloguj użytkownika ze wszystkich sesji',
    logoutAllUsersOnAllSessions: 'Wyloguj użytkownika (admina) ze wszystkich sesji',
    logoutOnAllSessions: 'Wyloguj ze wszystkich sesji',
  },
  buttons: {
    singleSessionConfirm: 'Wyloguj ze wszystkich sesji',
  },
  messages: {
    singleSessionConfirmIntro: 'Wybrani użytkownicy zostaną wylogowani ze wszystkich swoich sesji:',
    singleSessionRecordIntro: '{{title}} zostanie wylogowany ze wszystkich sesji.',
    singleSessionColumnUser: 'Użytkownik',
    singleSessionColumnOutcome: 'Co się stanie',
    singleSessionAdminBadge: 'admin',
    singleSessionYouBadge: 'Ty',
    singleSessionOutcomeLogout: 'zostanie wylogowany wszędzie',
    singleSessionOutcomeSkippedAdmin: 'pominięty: użytkownik admin (tylko „Wyloguj użytkownika (admina) ze wszystkich sesji” dotyczy adminów)',
    singleSessionOutcomeForbidden: 'niedozwolone: to użytkownik admin, a brakuje Ci uprawnienia {{permission}}',
    singleSessionSelfWarning: 'Jesteś wśród wybranych użytkowników: Twoje pozostałe sesje zostaną zakończone, bieżąca sesja zostanie zachowana.',
    singleSessionNothingToDo: 'Wszyscy wybrani użytkownicy zostaną pominięci: potwierdzenie niczego nie zmieni.',
    singleSessionDone: 'Zakończone sesje: {{sessions}}. Wylogowani użytkownicy: {{users}}. Pominięci użytkownicy: {{skipped}}.',
    singleSessionDoneKeptOwn:
      'Zakończone sesje: {{sessions}}. Wylogowani użytkownicy: {{users}}. Pominięci użytkownicy: {{skipped}}. Twoja bieżąca sesja została zachowana; pozostałe sesje zakończono.',
    singleSessionNothingDone: 'Nic nie zmieniono: wszyscy wybrani użytkownicy ({{skipped}}) to admini, których ta akcja pomija.',
    singleSessionForbidden: 'Nie możesz tego zrobić: wymagane jest uprawnienie {{permission}}. Nic nie zmieniono.',
    singleSessionUnknownRecords: 'Niektóre wybrane rekordy nie istnieją: {{ids}}. Nic nie zmieniono.',
    singleSessionInvalidIds: 'Wybór zawiera nieprawidłowy identyfikator: {{id}}. Nic nie zmieniono.',
    singleSessionTooManyIds: 'Wybrano zbyt wiele rekordów: najwyżej {{max}} naraz, otrzymano {{count}}. Nic nie zmieniono.',
    singleSessionEmptySelection: 'Nie wybrano żadnych rekordów. Nic nie zmieniono.',
    singleSessionUnknownResource: 'Nie ma zasobu „{{resourceId}}”.',
    singleSessionUnknownAction: 'Zasób „{{resourceId}}” nie ma akcji typu {{actionType}} „{{actionName}}”.',
    singleSessionRequestFailed: 'Żądanie nie powiodło się na serwerze. Spróbuj ponownie.',
    singleSessionEndedReplaced: 'Wylogowano Cię, ponieważ Twoje konto zalogowało się na innym urządzeniu.',
    singleSessionEndedRevoked: 'Zostałeś wylogowany przez administratora.',
    singleSessionLoginDenied: 'To konto jest już zalogowane na maksymalnej liczbie urządzeń. Najpierw wyloguj się na jednym z nich.',
  },
};
