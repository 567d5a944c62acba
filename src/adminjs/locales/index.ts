/**
 * The feature's texts in six languages, and a helper that merges them into an AdminJS `locale` option (global keys:
 * the login page's messages about ended sessions are not tied to a resource).
 */
import type { Locale } from 'adminjs';
import { de } from './de.js';
import { en, type SingleSessionTranslations } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { nl } from './nl.js';
import { pl } from './pl.js';
import { sessionsTranslations } from '../sessions/locales.js';

export type { SingleSessionTranslations };
export const singleSessionTranslations: Record<'en' | 'nl' | 'de' | 'fr' | 'es' | 'pl', SingleSessionTranslations> = { en, nl, de, fr, es, pl };

type Block = Record<string, unknown>;
const isBlock = (v: unknown): v is Block => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge where `over` wins: the host's own texts override ours. */
function merge(base: Block, over: Block): Block {
  const out: Block = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = isBlock(value) && isBlock(out[key]) ? merge(out[key] as Block, value) : value;
  return out;
}

/**
 * `locale` for `new AdminJS({ locale: withSingleSessionTranslations({ language: 'nl' }) })`: the host's locale with
 * this package's texts (the feature's and the session pages') added for the six languages (host texts win). Without `availableLanguages` the host's
 * `language` alone is offered, as AdminJS does.
 */
export function withSingleSessionTranslations(locale: Partial<Locale> = {}): Locale {
  const language = locale.language ?? 'en';
  return {
    ...locale,
    language,
    availableLanguages: locale.availableLanguages ?? [language],
    translations: merge(
      merge(singleSessionTranslations as unknown as Block, sessionsTranslations as unknown as Block),
      (locale.translations ?? {}) as Block,
    ) as Locale['translations'],
  };
}
