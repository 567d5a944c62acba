module.exports = require('adminjs-single-session/migrations/20261127000000-known-devices.cjs');
