import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import bcrypt from 'bcryptjs';
import type { Repository } from 'typeorm';
import { User, type Account } from './user.entity.js';

/** Demo users (password `password` for all), created when the table is empty. */
const DEMO_USERS: Array<Omit<Account, 'id'>> = [
  { email: 'admin@example.com', isAdmin: true, permissions: [] },
  { email: 'manager@example.com', isAdmin: false, permissions: ['single_session.logout', 'single_session.logout_all'] },
  { email: 'staff@example.com', isAdmin: false, permissions: ['single_session.logout'] },
  { email: 'alice@example.com', isAdmin: false, permissions: [] },
  { email: 'bob@example.com', isAdmin: false, permissions: [] },
];

const account = ({ id, email, isAdmin, permissions }: Account): Account => ({ id, email, isAdmin, permissions });

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** The user with this email and password, or null. */
  async checkPassword(email: unknown, password: unknown): Promise<Account | null> {
    if (typeof email !== 'string' || typeof password !== 'string' || !email || !password) return null;
    const user = await this.users.findOne({
      where: { email: email.trim().toLowerCase() },
      select: { id: true, email: true, isAdmin: true, permissions: true, passwordHash: true },
    });
    return user && (await bcrypt.compare(password, user.passwordHash)) ? account(user) : null;
  }

  async findById(id: string | number): Promise<Account | null> {
    const user = await this.users.findOneBy({ id: Number(id) });
    return user && account(user);
  }

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.users.count()) > 0) return;
    const passwordHash = await bcrypt.hash('password', 10);
    await this.users.insert(DEMO_USERS.map((user) => ({ ...user, passwordHash })));
  }
}
