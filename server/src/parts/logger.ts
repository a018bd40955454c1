/** The server's logger, made before any part starts so that every part logs the same way (and redacts the same secrets). */
import type { FastifyBaseLogger } from 'fastify';
import { pino, type LoggerOptions } from 'pino';
import type { LogLevel } from '../config/settings.js';
import { loggerOptions } from '../http/security.js';

export function createLogger(level: LogLevel): FastifyBaseLogger {
  return pino(loggerOptions({ level }) as LoggerOptions);
}
