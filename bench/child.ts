/**
 * A bench server in a child process of its own (`node --import tsx <file>`), so that the load generator (this
 * process) does not share an event loop or a CPU share with what it measures. They talk over IPC: the child
 * sends `{ type: 'ready', … }` when it serves, answers each question with one message, and exits on
 * `{ type: 'stop' }` (or when this process goes away).
 */
import { fork, type ChildProcess } from 'node:child_process';

interface Message {
  type: string;
}

export class ChildServer<Out extends Message, In extends Message> {
  private readonly inbox: Out[] = [];
  private waiting?: { resolve: (m: Out) => void; reject: (e: Error) => void };
  private exitError?: Error;

  private constructor(private readonly child: ChildProcess, private readonly name: string) {
    child.on('message', (message: Out) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (waiting) waiting.resolve(message);
      else this.inbox.push(message);
    });
    child.once('exit', (code, signal) => {
      this.exitError = new Error(`${name} exited (${code ?? signal}) before answering`);
      this.waiting?.reject(this.exitError);
      this.waiting = undefined;
    });
  }

  /** Starts `file` with `env` added and waits for its `ready` message. */
  static async start<Out extends Message, In extends Message>(
    file: string, env: Record<string, string>, name: string,
  ): Promise<{ server: ChildServer<Out, In>; ready: Out }> {
    const child = fork(file, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const server = new ChildServer<Out, In>(child, name);
    const ready = await server.next();
    if (ready.type !== 'ready') throw new Error(`${name}: expected "ready", got ${JSON.stringify(ready)}`);
    return { server, ready };
  }

  get pid(): number {
    return this.child.pid!;
  }

  next(): Promise<Out> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.exitError) return Promise.reject(this.exitError);
    return new Promise((resolve, reject) => { this.waiting = { resolve, reject }; });
  }

  send(message: In | { type: 'stop' }): void {
    this.child.send(message);
  }

  /** Sends a message and waits for the answer, which must be of type `expected`. */
  async ask<T extends Out['type']>(message: In, expected: T): Promise<Extract<Out, { type: T }>> {
    const reply = this.next();
    this.send(message);
    const answer = await reply;
    if (answer.type !== expected) throw new Error(`${this.name}: expected "${expected}", got ${JSON.stringify(answer)}`);
    return answer as Extract<Out, { type: T }>;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.send({ type: 'stop' });
    await exited;
  }
}
