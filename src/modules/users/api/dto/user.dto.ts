import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PERIODS, type Period } from '../../ranking';

/** Fedora account names: letters, digits, and . _ - (checked loosely; FAS decides). */
export const NICKNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

export class CreateUserDto {
  @ApiProperty({ example: 'ralph' })
  @IsString()
  @Matches(NICKNAME_PATTERN, { message: 'nickname must be a Fedora account name' })
  nickname: string;

  @ApiPropertyOptional({ description: 'Defaults to <nickname>@ACCOLADES_EMAIL_DOMAIN' })
  @IsOptional()
  @IsEmail()
  @MaxLength(255)
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  website?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  bio?: string;
}

export class LeaderboardQueryDto {
  @ApiPropertyOptional({
    enum: PERIODS,
    default: 'all',
    description: 'Calendar periods in UTC; weeks start on Monday',
  })
  @IsOptional()
  @IsIn(PERIODS as unknown as string[])
  period?: Period;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}
