'use strict';
// How a host app takes the package's migration into its own sequelize-cli migrations folder.
module.exports = require('../../../migrations/20261126000000-single-session.cjs');
