import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../../common/api/page-query.dto';

export class CreateAssertionDto {
  @ApiProperty({ example: 'tester-i' })
  @IsString()
  @MaxLength(255)
  badge_id: string;

  @ApiProperty({ example: 'ralph' })
  @IsString()
  @MaxLength(255)
  nickname: string;

  @ApiPropertyOptional({ description: 'Link to the event that warranted the award' })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  @MaxLength(2000)
  issued_for?: string;
}

export class RevokeDto {
  @ApiPropertyOptional({ description: 'Why the award is revoked (shown to Open Badges verifiers)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class HoldersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['newest', 'oldest'], default: 'newest' })
  @IsOptional()
  @IsIn(['newest', 'oldest'])
  order?: 'newest' | 'oldest';
}

export class AuthorizationDto {
  @ApiProperty({ example: 'ralph' })
  @IsString()
  @MaxLength(255)
  nickname: string;
}
