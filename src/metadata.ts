/**
 * What a login records about the device: IP address and parsed user agent, and the device as the known-devices memory
 * tells devices apart. The IP is Express's `req.ip`, which honours the app's `trust proxy` setting: behind a proxy
 * the app must say so (`app.set('trust proxy', 1)`), and a client cannot fake its address with an X-Forwarded-For
 * header the app was not told to trust.
 */
import type { Request } from 'express';
import { UAParser } from 'ua-parser-js';
import type { DeviceIdentity, LoginMetadata } from './registry/index.js';

export interface LoginCapture {
  metadata: LoginMetadata;
  /** Browser, OS and device without versions; null when nothing may be recorded or there is no user agent. */
  device: DeviceIdentity | null;
}

const NONE: LoginCapture = { metadata: { ip: null, userAgent: null, browser: null, os: null, device: null }, device: null };

const join = (...parts: Array<string | undefined>) => parts.filter(Boolean).join(' ').slice(0, 100);

export function captureLogin(req: Request, enabled: boolean): LoginCapture {
  if (!enabled) return NONE;
  const userAgent = req.get?.('user-agent')?.slice(0, 512) || null;
  const ua = new UAParser(userAgent ?? '').getResult();
  const device = userAgent ? join(ua.device.type ?? 'desktop', ua.device.vendor, ua.device.model) : '';
  return {
    metadata: {
      ip: req.ip?.slice(0, 64) ?? null,
      userAgent,
      browser: join(ua.browser.name, ua.browser.major) || null,
      os: join(ua.os.name, ua.os.version) || null,
      device: device || null,
    },
    device: userAgent ? { browser: join(ua.browser.name), os: join(ua.os.name), device } : null,
  };
}
