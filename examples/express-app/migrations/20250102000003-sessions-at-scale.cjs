module.exports = require('adminjs-single-session/migrations/20261130000000-sessions-at-scale.cjs');
