import { ApiProperty } from '@nestjs/swagger';
import { IsDefined } from 'class-validator';

export class VerifyCredentialDto {
  @ApiProperty({
    description:
      'The credential: a compact JWS (VC-JWT) or an EnvelopedVerifiableCredential holding one',
    oneOf: [{ type: 'string' }, { type: 'object' }],
  })
  @IsDefined({ message: 'credential is required (a compact JWS)' })
  credential: unknown;
}
