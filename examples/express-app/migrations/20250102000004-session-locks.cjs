module.exports = require('adminjs-single-session/migrations/20261201000000-session-locks.cjs');
