import { type ArgumentsHost, Catch, type RpcExceptionFilter } from '@nestjs/common';
import { type Observable, throwError } from 'rxjs';

/**
 * The AMQP door's exception filter: hands the error, untouched, to the transport, which
 * translates it once (`dispositionOf`: dead letter, retry, pause). Nest's default RPC
 * filter would replace any error that is not an RpcException with a bare "Internal server
 * error" object, and the transport could no longer tell a poison message from an outage.
 */
@Catch()
export class AmqpErrorFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}
