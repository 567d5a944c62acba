/**
 * One way to write a date and time on every page of ours (the Sessions list and page, the sessions panel, "My
 * sessions", the audit list, the dashboard): in the language chosen in the panel's language menu, relative when
 * it is near ("5 minutes ago", "in 3 hours"), else the date and time; the exact time is always in the tooltip.
 * Bundled by AdminJS, so it imports only what AdminJS provides.
 */
import React, { useMemo } from 'react';
import { useTranslation } from 'adminjs';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The panel's language as Intl knows it (an unknown tag falls back to English rather than throwing). */
export function useLocale(): string {
  const { i18n } = useTranslation();
  const language = i18n?.language ?? 'en';
  return useMemo(() => {
    try {
      return Intl.DateTimeFormat.supportedLocalesOf([language])[0] ?? 'en';
    } catch {
      return 'en';
    }
  }, [language]);
}

export interface DateText {
  /** What the page shows: relative when within a day, else date and time. */
  text: string;
  /** The date and time in full (tooltip). */
  exact: string;
  iso: string;
}

/** `format(value)` → the texts of a date in the panel's language; null for a missing or unreadable value. */
export function useDateFormat(): (value: string | number | Date | null | undefined, now?: number) => DateText | null {
  const locale = useLocale();
  return useMemo(() => {
    const absolute = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const exact = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'medium' });
    const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    return (value, now = Date.now()) => {
      if (value === null || value === undefined || value === '') return null;
      const date = new Date(value);
      if (Number.isNaN(date.getTime())) return null;
      const diff = date.getTime() - now;
      const size = Math.abs(diff);
      const text = size < MINUTE ? relative.format(0, 'second')
        : size < HOUR ? relative.format(Math.round(diff / MINUTE), 'minute')
        : size < DAY ? relative.format(Math.round(diff / HOUR), 'hour')
        : absolute.format(date);
      return { text, exact: exact.format(date), iso: date.toISOString() };
    };
  }, [locale]);
}

/** A date as a `<time>` element: the text, the exact time as a tooltip; "—" without a date. */
const When: React.FC<{ value: string | number | Date | null | undefined }> = ({ value }) => {
  const format = useDateFormat();
  const date = format(value);
  if (!date) return <span data-css="single-session-time">—</span>;
  return <time data-css="single-session-time" dateTime={date.iso} title={date.exact}>{date.text}</time>;
};

export default When;
