'use strict';
// The package's per-user lock rows (MariaDB and MySQL; nothing on PostgreSQL), taken into the host's migrations folder.
module.exports = require('../../../migrations/20261201000000-session-locks.cjs');
