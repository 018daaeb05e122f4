import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class CreateIssuerDto {
  @ApiProperty({ example: 'Fedora Project' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  name: string;

  @ApiProperty({ example: 'https://fedoraproject.org' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  origin: string;

  @ApiProperty({ example: 'Fedora' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  org: string;

  @ApiProperty({ example: 'badges@fedoraproject.org' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  contact: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  image?: string;
}

export class UpdateIssuerDto extends PartialType(CreateIssuerDto) {}
