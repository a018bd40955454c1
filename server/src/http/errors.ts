/** The one error handler: 4xx errors say what was wrong; 5xx errors never leak internals. */
import type { FastifyError, FastifyInstance } from 'fastify';
import type { ErrorBody } from '../contract/api/common.js';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

export const badParameter = (parameter: string, message: string) =>
  new HttpError(400, 'bad_parameter', `${parameter}: ${message}`, parameter);
export const notFound = (what: string) => new HttpError(404, 'not_found', what);

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      return reply
        .status(error.statusCode)
        .send({ error: error.code, message: error.message, parameter: error.parameter } satisfies ErrorBody);
    }
    if (error.validation) {
      const first = error.validation[0];
      const parameter = first ? validationParameter(first.instancePath, first.params) : undefined;
      return reply
        .status(400)
        .send({ error: 'bad_parameter', message: error.message, parameter } satisfies ErrorBody);
    }
    const status = error.statusCode ?? 500;
    if (status < 500)
      return reply
        .status(status)
        .send({ error: error.code ?? 'bad_request', message: error.message } satisfies ErrorBody);
    request.log.error({ err: error }, 'request failed');
    return reply
      .status(500)
      .send({ error: 'internal', message: 'internal server error' } satisfies ErrorBody);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: 'not_found',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
    } satisfies ErrorBody),
  );
}

function validationParameter(path: string, params: Record<string, unknown>): string | undefined {
  if (path) return path.replace(/^\//, '').split('/')[0];
  const missing = params.missingProperty ?? params.additionalProperty;
  return typeof missing === 'string' ? missing : undefined;
}
