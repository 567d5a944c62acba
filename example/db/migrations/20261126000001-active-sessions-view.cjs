'use strict';
// The package's optional view for the AdminJS "Sessions" resource, taken into the host's migrations folder.
module.exports = require('../../../migrations/20261126000001-active-sessions-view.cjs');
