// Every environment reads DATABASE_URL (postgres://user:password@host:5432/database).
const database = { use_env_variable: 'DATABASE_URL', dialect: 'postgres', logging: false };
module.exports = { development: database, test: database, production: database };
