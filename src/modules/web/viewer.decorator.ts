import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { viewerOf } from '../../common/viewer';

/** The request's viewer (see common/viewer.ts), or null when nobody is logged in. */
export const CurrentViewer = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  viewerOf(ctx.switchToHttp().getRequest<{ user?: unknown }>()),
);
