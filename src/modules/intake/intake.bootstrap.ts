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
  // The bootstrap hooks (the first load of the rules, with their badges) run before the
  // first message is taken: a connected microservice's listen() does not run them, and a
  // backlog consumed meanwhile would be judged with no rules at all.
  await app.init();
  await app.startAllMicroservices();
  return transport;
}
