/**
 * Deterministic races: a test-only route that loads the session (and, on POST, changes it), then waits on a gate
 * the test opens once it has ended that session elsewhere. express-session saves when the response ends, so the
 * save happens after the ending — exactly the interleaving that resurrects sessions in connect-session-sequelize.
 */
import type { Express, Request } from 'express';

interface Held {
  arrived: () => void;
  release: Promise<void>;
}

export class Gates {
  private readonly held = new Map<string, Held>();
  private next = 0;

  /** Mounts `POST /test/hold/:key` (writes to the session) and `GET /test/hold/:key` (reads only). */
  mount(app: Express): void {
    const hold = (write: boolean) => (req: Request, res: import('express').Response) => {
      const gate = this.held.get(req.params.key!);
      if (!gate) return res.status(404).json({ error: 'no such gate' });
      if (write) (req.session as unknown as Record<string, unknown>).stressWrites = Date.now();
      gate.arrived();
      return gate.release.then(() => {
        this.held.delete(req.params.key!);
        res.json({ ok: true });
      });
    };
    app.post('/test/hold/:key', hold(true));
    app.get('/test/hold/:key', hold(false));
  }

  /** A new gate: its path, a promise that the request reached it (session loaded), and the function opening it. */
  arm(): { path: string; arrived: Promise<void>; open: () => void } {
    const key = String(++this.next);
    let open!: () => void;
    let arrived!: () => void;
    const reached = new Promise<void>((resolve) => { arrived = resolve; });
    const release = new Promise<void>((resolve) => { open = resolve; });
    this.held.set(key, { arrived, release });
    return { path: `/test/hold/${key}`, arrived: reached, open };
  }
}
