// sequelize-cli configuration: every environment reads DATABASE_URL (a postgres:// URL).
const env = { use_env_variable: 'DATABASE_URL', dialect: 'postgres', logging: false };
module.exports = { development: env, test: env, production: env };
