/** Where a request carries its session token (Bearer header, else the session cookie), and the cookie itself. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthSettings } from '../auth/auth-settings.js';
import type { Principal } from '../auth/auth-service.js';

export const SESSION_COOKIE = 'kutaisi_session';

export function requestToken(request: FastifyRequest): { token: string; via: Principal['via'] } | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S{1,200})\s*$/i.exec(header);
    return match ? { token: match[1] as string, via: 'bearer' } : undefined;
  }
  const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
  return cookie ? { token: cookie, via: 'cookie' } : undefined;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim() || undefined;
  }
  return undefined;
}

function secure(settings: AuthSettings, request: FastifyRequest): boolean {
  return settings.cookieSecure === 'auto' ? request.protocol === 'https' : settings.cookieSecure;
}

/** HttpOnly (scripts cannot read it), SameSite=Strict (other sites cannot send it), Secure over https. */
export function setSessionCookie(
  reply: FastifyReply,
  request: FastifyRequest,
  settings: AuthSettings,
  token: string,
  maxAgeS: number,
): void {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeS}`];
  if (secure(settings, request)) attributes.push('Secure');
  reply.header('set-cookie', `${SESSION_COOKIE}=${token}; ${attributes.join('; ')}`);
}

export function clearSessionCookie(
  reply: FastifyReply,
  request: FastifyRequest,
  settings: AuthSettings,
): void {
  setSessionCookie(reply, request, settings, '', 0);
}

/**
 * A browser request from another site. SameSite=Strict already keeps the cookie off such requests;
 * checking Origin as well covers older browsers and cross-site WebSocket handshakes.
 */
export function fromOtherSite(request: FastifyRequest, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  if (allowedOrigins.includes(origin)) return false;
  try {
    return new URL(origin).host !== request.host;
  } catch {
    return true;
  }
}
