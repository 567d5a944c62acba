import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createSingleSession, migrate, type SingleSession } from 'adminjs-single-session';
import { Sequelize } from 'sequelize';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config.js';
import { User } from '../users/user.entity.js';

/** The injection tokens of the single-session engine and of the Sequelize instance it keeps its tables with. */
export const SINGLE_SESSION = 'SINGLE_SESSION';
const SINGLE_SESSION_SEQUELIZE = 'SINGLE_SESSION_SEQUELIZE';

/**
 * The single-session engine as a provider. Its tables live in the users' database, reached through a Sequelize
 * instance of its own; they reference the users table, so they are migrated once TypeORM has created it
 * (injecting the DataSource waits for TypeORM's initialisation and synchronisation).
 */
@Global()
@Module({
  providers: [
    {
      provide: SINGLE_SESSION_SEQUELIZE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new Sequelize(config.databaseUrl, { dialect: 'postgres', logging: false }),
    },
    {
      provide: SINGLE_SESSION,
      inject: [SINGLE_SESSION_SEQUELIZE, DataSource],
      useFactory: async (sequelize: Sequelize, dataSource: DataSource): Promise<SingleSession> => {
        await migrate({ sequelize, userTable: dataSource.getMetadata(User).tableName });
        return createSingleSession({ sequelize });
      },
    },
  ],
  exports: [SINGLE_SESSION],
})
export class SingleSessionModule implements OnApplicationShutdown {
  constructor(
    @Inject(SINGLE_SESSION) private readonly singleSession: SingleSession,
    @Inject(SINGLE_SESSION_SEQUELIZE) private readonly sequelize: Sequelize,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.singleSession.close();
    await this.sequelize.close();
  }
}
