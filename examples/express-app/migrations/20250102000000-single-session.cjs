module.exports = require('adminjs-single-session/migrations/20261126000000-single-session.cjs');
