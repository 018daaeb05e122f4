import type { INestApplication } from '@nestjs/common';
import type { AmqpIntakeTransport } from './amqp/amqp-intake.transport';
import { IntakeTransportFactory } from './intake-transport.factory';

/**
 * Connects the AMQP intake to the application as a Nest microservice, in the same process
 * as the web server (main.ts and the e2e tests both call this). Null without AMQP_URL.
 */
export async function startIntake(app: INestApplication): Promise<AmqpIntakeTransport | null> {
  const transport = app.get(IntakeTransportFactory).create();
  if (!transport) return null;
  // Not the HTTP app's pipes and filters: the AMQP door has its own (AmqpErrorFilter).
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: false });
  await app.startAllMicroservices();
  return transport;
}
