import { Global, Module } from '@nestjs/common';
import { WriteAccessGuard } from './write-access.guard';

@Global()
@Module({ providers: [WriteAccessGuard], exports: [WriteAccessGuard] })
export class AuthModule {}
