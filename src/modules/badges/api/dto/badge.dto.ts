import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBase64,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PageQueryDto } from '../../../../common/api/page-query.dto';

const toList = ({ value }: { value: unknown }) =>
  value === undefined
    ? undefined
    : (Array.isArray(value) ? value : String(value).split(',')).filter(Boolean);

export class BadgeQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Words of the name, description or id' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    description: 'A tag, or several separated by commas',
    example: 'qa,bodhi',
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @IsString({ each: true })
  tag?: string[];

  @ApiPropertyOptional({
    enum: ['any', 'all'],
    default: 'any',
    description: 'Badges with any or all of the tags',
  })
  @IsOptional()
  @IsIn(['any', 'all'])
  match?: 'any' | 'all';

  @ApiPropertyOptional({ enum: ['name', 'newest', 'popular'], default: 'name' })
  @IsOptional()
  @IsIn(['name', 'newest', 'popular'])
  sort?: 'name' | 'newest' | 'popular';
}

export class CreateBadgeDto {
  @ApiPropertyOptional({ description: 'Defaults to the slug of the name', example: 'tester-i' })
  @IsOptional()
  @IsString()
  @Matches(/^[^\s/]+$/, { message: 'id must not contain spaces or slashes' })
  @MaxLength(255)
  id?: string;

  @ApiProperty({ example: 'Tester I' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  name: string;

  @ApiProperty({
    description: 'File name under /pngs/ or an absolute URL (not needed when `art` is given)',
    example: 'tester-01.png',
  })
  @ValidateIf((dto: CreateBadgeDto) => dto.art === undefined || dto.image !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  image: string;

  @ApiPropertyOptional({
    description:
      'The art itself, base64: a PNG or an SVG of up to 1 MB, checked, stored by the service ' +
      'and served under /pngs/ (`image` becomes its file name), in the same transaction',
  })
  @IsOptional()
  @IsBase64()
  @MaxLength(1_400_000)
  art?: string;

  @ApiProperty({ example: 'You tested your first update.' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  description: string;

  @ApiProperty({
    description: 'URL of the criteria',
    example: 'https://pagure.io/fedora-badges/issue/1',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  criteria: string;

  @ApiProperty({ example: 1 })
  @Type(() => Number)
  @IsInt()
  issuer_id: number;

  @ApiPropertyOptional({ type: [String], example: ['qa', 'bodhi'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  tags?: string[];
}

export class UpdateBadgeDto extends PartialType(OmitType(CreateBadgeDto, ['id'] as const)) {}
