// Every environment reads DATABASE_URL (postgres://user:password@host:5432/database or mariadb://…:3306/database;
// the dialect comes from the URL's scheme).
const database = { use_env_variable: 'DATABASE_URL', logging: false };
module.exports = { development: database, test: database, production: database };
