import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export class CreateSeriesDto {
  @ApiPropertyOptional({ description: 'Defaults to the slug of the name' })
  @IsOptional()
  @IsString()
  @Matches(/^[^\s/]+$/, { message: 'id must not contain spaces or slashes' })
  @MaxLength(255)
  id?: string;

  @ApiProperty({ example: 'Tester' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  name: string;

  @ApiProperty({ example: 'Test updates in Bodhi' })
  @IsString()
  @MaxLength(5000)
  description: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  tags?: string[];

  @ApiPropertyOptional({ description: 'Team id' })
  @IsOptional()
  @IsString()
  team_id?: string;
}

export class UpdateSeriesDto extends PartialType(OmitType(CreateSeriesDto, ['id'] as const)) {}

export class MilestoneDto {
  @ApiPropertyOptional({ description: 'Position in the ladder (1 = first step)', example: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  position?: number;
}

export class CreateTeamDto {
  @ApiProperty({ example: 'Quality Assurance' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  name: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^[^\s/]+$/)
  id?: string;
}
