import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsDate,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { type Scope, SCOPES } from '../../principal';

export class CreateTokenDto {
  @ApiProperty({ example: 'laptop CLI', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: SCOPES, isArray: true, example: ['read', 'grant'] })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(SCOPES, { each: true })
  scopes: Scope[];

  @ApiPropertyOptional({ description: 'When the token stops working (ISO 8601); default never' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  expiresOn?: Date;
}
