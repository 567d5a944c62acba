/**
 * The package's texts in six languages (a file per language, every text of the AdminJS side in it), and the two
 * ways they reach AdminJS: merged into the `locale` option (global keys: the login page and the "My sessions"
 * page belong to no resource), and as each resource's own `translations` (so a resource speaks every language
 * even when the host did not merge the locale; resource-scoped keys also reword the shared confirmation page).
 */
import type { Locale, ResourceOptions } from 'adminjs';
import { de } from './de.js';
import { en, type SingleSessionTexts } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { nl } from './nl.js';
import { pl } from './pl.js';

export type Language = 'en' | 'nl' | 'de' | 'fr' | 'es' | 'pl';
export const TEXTS: Record<Language, SingleSessionTexts> = { en, nl, de, fr, es, pl };
export type TextPart = keyof SingleSessionTexts;

type Blocks = Record<string, Record<string, string>>;
type Translations = NonNullable<ResourceOptions['translations']>;

/** The blocks (actions, messages, …) of `parts` merged, later parts winning, then `over` on top. */
function mergeBlocks(parts: readonly object[], over: object = {}): Blocks {
  const out: Blocks = {};
  for (const blocks of [...parts, over]) {
    for (const [name, block] of Object.entries(blocks as Blocks)) out[name] = { ...out[name], ...block };
  }
  return out;
}

/** Per language, `parts` merged; then the host's own texts on top (the host wins). */
export function resourceTranslations(parts: readonly TextPart[], host: Translations = {}): Translations {
  const languages = new Set([...Object.keys(TEXTS), ...Object.keys(host)]);
  return Object.fromEntries([...languages].map((language) => {
    const texts = TEXTS[language as Language];
    return [language, mergeBlocks(texts ? parts.map((part) => texts[part]) : [], host[language] ?? {})];
  })) as Translations;
}

/**
 * `locale` for `new AdminJS({ locale: withSingleSessionTranslations({ language: 'nl' }) })`: the host's locale with
 * this package's global texts added for the six languages (the host's texts win). Without `availableLanguages` the
 * host's `language` alone is offered, as AdminJS does.
 */
export function withSingleSessionTranslations(locale: Partial<Locale> = {}): Locale {
  const language = locale.language ?? 'en';
  return {
    ...locale,
    language,
    availableLanguages: locale.availableLanguages ?? [language],
    translations: resourceTranslations(['feature', 'pages'], (locale.translations ?? {}) as Translations) as Locale['translations'],
  };
}

/** The English text of a message key, its `{{name}}` placeholders filled (for API clients and logs). */
export function englishText(key: keyof (typeof en)['feature']['messages'], options: Record<string, unknown> = {}): string {
  return en.feature.messages[key].replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options[name] ?? ''));
}
