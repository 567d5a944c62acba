import { BaseEntity, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The site's users, in the same PostgreSQL database as the single-session tables (UserSessions.userId references
 * this table). BaseEntity: @adminjs/typeorm works through the entity's static repository methods.
 */
@Entity({ name: 'Users' })
export class User extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 255, unique: true })
  email!: string;

  /** Never loaded unless a query asks for it: AdminJS lists and shows users without it. */
  @Column({ type: 'varchar', length: 255, select: false })
  passwordHash!: string;

  @Column({ type: 'boolean', default: false })
  isAdmin!: boolean;

  /** Admin permissions such as `single_session.logout`. */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  permissions!: string[];
}

/** A user as the app passes it around: never with the password hash. */
export type Account = Pick<User, 'id' | 'email' | 'isAdmin' | 'permissions'>;
