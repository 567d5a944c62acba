module.exports = require('adminjs-single-session/migrations/20261126000001-active-sessions-view.cjs');
