/**
 * A TCP proxy in front of PostgreSQL that the test can cut: `cut()` drops every open connection and refuses new
 * ones (the database "goes away" for the app), `restore()` lets connections through again.
 */
import net from 'node:net';

export interface Proxy {
  port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startProxy(target: { host: string; port: number }): Promise<Proxy> {
  const open = new Set<net.Socket>();
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) return client.destroy();
    const upstream = net.connect(target.port, target.host);
    for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
      open.add(a);
      a.on('close', () => { open.delete(a); b.destroy(); });
      a.on('error', () => b.destroy());
      a.pipe(b);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cutAll = () => { for (const s of open) s.destroy(); };
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      refusing = true;
      cutAll();
    },
    restore() {
      refusing = false;
    },
    async close() {
      cutAll();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
