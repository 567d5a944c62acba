/**
 * What a login records about the device: IP address and parsed user agent. The IP is Express's `req.ip`, which
 * honours the app's `trust proxy` setting: behind a proxy the app must say so (`app.set('trust proxy', 1)`),
 * and a client cannot fake its address with an X-Forwarded-For header the app was not told to trust.
 */
import type { Request } from 'express';
import { UAParser } from 'ua-parser-js';
import type { LoginMetadata } from './registry/index.js';

const NONE: LoginMetadata = { ip: null, userAgent: null, browser: null, os: null, device: null };

const join = (...parts: Array<string | undefined>) => parts.filter(Boolean).join(' ').slice(0, 100) || null;

export function captureMetadata(req: Request, enabled: boolean): LoginMetadata {
  if (!enabled) return NONE;
  const userAgent = req.get?.('user-agent')?.slice(0, 512) ?? null;
  const ua = new UAParser(userAgent ?? '').getResult();
  return {
    ip: req.ip?.slice(0, 64) ?? null,
    userAgent,
    browser: join(ua.browser.name, ua.browser.major),
    os: join(ua.os.name, ua.os.version),
    device: userAgent ? join(ua.device.type ?? 'desktop', ua.device.vendor, ua.device.model) : null,
  };
}
