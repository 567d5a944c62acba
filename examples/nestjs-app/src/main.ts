/**
 * The NestJS example: users in TypeORM, AdminJS through @adminjs/nestjs, single sessions through
 * adminjs-single-session. DATABASE_URL (PostgreSQL) is required; PORT defaults to 3000.
 *
 *   DATABASE_URL=postgres://… TSX_TSCONFIG_PATH=examples/nestjs-app/tsconfig.json npx tsx examples/nestjs-app/src/main.ts
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { SingleSession } from 'adminjs-single-session';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module.js';
import { APP_CONFIG, type AppConfig } from './config.js';
import { SINGLE_SESSION } from './single-session/single-session.module.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  const config = app.get<AppConfig>(APP_CONFIG);
  const singleSession = app.get<SingleSession>(SINGLE_SESSION);
  // express-session with the package's store, for the whole app: applied before app.listen(), so it runs before
  // AdminJS's router and every controller.
  app.use(singleSession.sessionMiddleware({ secret: config.sessionSecret, name: 'sid' }));
  await app.listen(config.port);
  const { port } = app.getHttpServer().address() as AddressInfo;
  console.log(`NestJS example ready at http://localhost:${port}/ (admin panel: http://localhost:${port}/admin)`);
}

bootstrap().catch((err) => {
  console.error('Cannot start the NestJS example:', err);
  process.exit(1);
});
