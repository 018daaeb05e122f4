import { randomUUID } from 'node:crypto';
import { type DynamicModule, Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import type { Env } from '../../config/env.schema';

/**
 * Structured JSON logs (pino) with a correlation id per request: the caller's
 * `X-Request-Id` when it sends one, a new UUID otherwise, echoed in the response.
 */
@Module({})
export class LoggingModule {
  static forRoot(env: Env): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: [
            {
              level: env.LOG_LEVEL,
              genReqId: (req: IncomingMessage, res: ServerResponse) => {
                const given = req.headers['x-request-id'];
                const id =
                  typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
                res.setHeader('X-Request-Id', id);
                return id;
              },
              autoLogging: {
                ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/healthz'),
              },
              redact: [
                'req.headers.authorization',
                'req.headers.cookie',
                'res.headers["set-cookie"]',
              ],
              serializers: {
                req: (req: { id: string; method: string; url: string }) => ({
                  id: req.id,
                  method: req.method,
                  url: req.url,
                }),
                res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              },
            },
            pino.destination({ fd: env.LOG_DESTINATION === 'stderr' ? 2 : 1, sync: true }),
          ],
        }),
      ],
    };
  }
}
