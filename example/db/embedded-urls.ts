/** The URLs of the embedded PGlite servers running in this process (kept apart: importing PGlite is not free). */
export const embeddedUrls = new Set<string>();

/** Is `url` an embedded PGlite of this process? It cannot deliver a NOTIFY to another connection. */
export const isEmbeddedPostgres = (url: string) => embeddedUrls.has(url);
