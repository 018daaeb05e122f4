import { Global, Module } from '@nestjs/common';
import { Links } from './links';

@Global()
@Module({ providers: [Links], exports: [Links] })
export class CommonModule {}
