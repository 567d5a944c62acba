// sequelize-cli configuration: every environment reads DATABASE_URL (a postgres:// or mariadb:// URL; the dialect
// comes from the URL's scheme).
const env = { use_env_variable: 'DATABASE_URL', logging: false };
module.exports = { development: env, test: env, production: env };
