import { AdminModule } from '@adminjs/nestjs';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { SingleSession } from 'adminjs-single-session';
import { SingleSessionAdminLoader } from './admin/admin.loader.js';
import { adminOptions } from './admin/admin.options.js';
import { APP_CONFIG, readConfig, type AppConfig } from './config.js';
import { SINGLE_SESSION, SingleSessionModule } from './single-session/single-session.module.js';
import { SiteModule } from './site/site.module.js';
import { User } from './users/user.entity.js';
import { UsersModule } from './users/users.module.js';
import { UsersService } from './users/users.service.js';

@Global()
@Module({ providers: [{ provide: APP_CONFIG, useFactory: () => readConfig() }], exports: [APP_CONFIG] })
class ConfigModule {}

@Module({
  imports: [
    ConfigModule,
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      // synchronize creates the Users table (use TypeORM migrations in production).
      useFactory: (config: AppConfig) => ({ type: 'postgres', url: config.databaseUrl, entities: [User], synchronize: true }),
    }),
    SingleSessionModule,
    UsersModule,
    SiteModule,
    AdminModule.createAdminAsync({
      imports: [UsersModule],
      inject: [SINGLE_SESSION, UsersService, APP_CONFIG],
      useFactory: (singleSession: SingleSession, users: UsersService, config: AppConfig) =>
        adminOptions(singleSession, users, config.sessionSecret),
      customLoader: SingleSessionAdminLoader,
    }),
  ],
})
export class AppModule {}
