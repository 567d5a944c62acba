'use strict';
// The package's indexes for the Sessions page and its cheaper end-reason notes, taken into the host's migrations folder.
module.exports = require('../../../migrations/20261130000000-sessions-at-scale.cjs');
