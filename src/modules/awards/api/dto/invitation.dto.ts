import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../../common/api/page-query.dto';

export class CreateInvitationDto {
  @ApiProperty({
    description:
      'When the invitation stops working: an ISO 8601 date-time (without a zone: UTC), or a ' +
      'date (it works through that day, UTC). Must be in the future.',
    example: '2026-08-10T18:00:00Z',
  })
  @IsString()
  @MaxLength(40)
  expires_on: string;
}

export class InvitationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only the invitations of this badge', example: 'flock-2026' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  badge?: string;
}
