'use strict';
// The package's table of the devices each user signed in from (for the `sessions:created` event), taken into the host's migrations folder.
module.exports = require('../../../migrations/20261127000000-known-devices.cjs');
