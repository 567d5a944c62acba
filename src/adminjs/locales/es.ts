import type { SingleSessionTranslations } from './en.js';

/** Spanish. */
export const es: SingleSessionTranslations = {
  actions: {
    logoutUserOnAllSessions: 'Cerrar la sesión del usuario en todas las sesiones',
    logoutAllUsersOnAllSessions: 'Cerrar la sesión del usuario (admin) en todas las sesiones',
    logoutOnAllSessions: 'Cerrar sesión en todas las sesiones',
  },
  buttons: {
    singleSessionConfirm: 'Cerrar sesión en todas las sesiones',
  },
  messages: {
    singleSessionConfirmIntro: 'Se cerrarán todas las sesiones de los usuarios seleccionados:',
    singleSessionRecordIntro: 'Se cerrarán todas las sesiones de {{title}}.',
    singleSessionColumnUser: 'Usuario',
    singleSessionColumnOutcome: 'Qué ocurre',
    singleSessionAdminBadge: 'admin',
    singleSessionYouBadge: 'usted',
    singleSessionOutcomeLogout: 'se cerrarán todas sus sesiones',
    singleSessionOutcomeSkippedAdmin: 'omitido: usuario admin (solo «Cerrar la sesión del usuario (admin) en todas las sesiones» afecta a los admins)',
    singleSessionOutcomeForbidden: 'no permitido: es un usuario admin y le falta el permiso {{permission}}',
    singleSessionSelfWarning: 'Usted está entre los usuarios seleccionados: sus otras sesiones terminarán, la que está usando ahora se conserva.',
    singleSessionNothingToDo: 'Todos los usuarios seleccionados se omiten: confirmar no cambia nada.',
    singleSessionDone: 'Sesiones cerradas: {{sessions}}. Usuarios desconectados: {{users}}. Usuarios omitidos: {{skipped}}.',
    singleSessionDoneKeptOwn:
      'Sesiones cerradas: {{sessions}}. Usuarios desconectados: {{users}}. Usuarios omitidos: {{skipped}}. Su sesión actual se ha conservado; sus otras sesiones han terminado.',
    singleSessionNothingDone: 'No se ha cambiado nada: los {{skipped}} usuarios seleccionados son admins, que esta acción omite.',
    singleSessionForbidden: 'No puede hacer esto: requiere el permiso {{permission}}. No se ha cambiado nada.',
    singleSessionUnknownRecords: 'Algunos registros seleccionados no existen: {{ids}}. No se ha cambiado nada.',
    singleSessionInvalidIds: 'La selección contiene un id no válido: {{id}}. No se ha cambiado nada.',
    singleSessionTooManyIds: 'Demasiados registros seleccionados: como máximo {{max}} a la vez, recibidos {{count}}. No se ha cambiado nada.',
    singleSessionEmptySelection: 'No hay registros seleccionados. No se ha cambiado nada.',
    singleSessionUnknownResource: 'No existe el recurso «{{resourceId}}».',
    singleSessionUnknownAction: 'El recurso «{{resourceId}}» no tiene la acción {{actionType}} «{{actionName}}».',
    singleSessionRequestFailed: 'La solicitud falló en el servidor. Inténtelo de nuevo.',
    singleSessionEndedReplaced: 'Se cerró su sesión porque su cuenta inició sesión en otro dispositivo.',
    singleSessionEndedRevoked: 'Un administrador cerró su sesión.',
    singleSessionLoginDenied: 'Esta cuenta ya ha iniciado sesión en el número máximo de dispositivos. Cierre primero la sesión en uno de ellos.',
  },
};
